using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// A real redis-server (Debian's package) on a free loopback port, without persistence (<c>--save ""</c>,
/// <c>--appendonly no</c>, as RespServer answers CONFIG GET), for tests that compare RespServer with it. Outside CI an
/// absent redis-server skips the test; under CI (CI=true), where .ci/run installs it, it fails it.
/// </summary>
internal sealed class RedisServerProcess : IDisposable
{
    private readonly Process _process;

    private RedisServerProcess(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    /// <summary>Starts redis-server and waits until it accepts connections (a hang detector bounds the wait).</summary>
    public static RedisServerProcess Start()
    {
        string path = ExternalTool.Require("redis-server", "redis-server");
        string lastOutput = "";
        for (int attempt = 0; attempt < 5; attempt++)
        {
            // redis-server cannot be told to pick a port itself (--port 0 means "no TCP"): take a free one and hand it
            // over. Another process may grab it in between; then redis-server exits and we try another.
            int port = FreePort();
            var start = new ProcessStartInfo(path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", Path.GetTempPath(), "--logfile", "",
            })
            {
                start.ArgumentList.Add(argument);
            }

            Process process = Process.Start(start)!;
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var endpoint = new IPEndPoint(IPAddress.Loopback, port);
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                if (CanConnect(endpoint))
                {
                    return new RedisServerProcess(process, endpoint);
                }

                Thread.Sleep(20);
            }

            if (!process.HasExited)
            {
                process.Kill();
            }

            process.WaitForExit();
            lastOutput = output.Result;
            process.Dispose();
        }

        throw new InvalidOperationException($"redis-server did not start: {lastOutput}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static bool CanConnect(IPEndPoint endpoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
