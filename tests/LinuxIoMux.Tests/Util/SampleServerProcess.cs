using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// A sample server (RespServer, HttpPlaintext, EchoServer) run as a child process from the test output folder, where
/// the project references put it, on a free port; stopped with SIGTERM like a user's Ctrl+C.
/// </summary>
internal sealed partial class SampleServerProcess : IDisposable
{
    private const int SIGTERM = 15;

    private readonly Process _process;
    private readonly List<string> _output = [];

    private SampleServerProcess(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Where the server listens.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The server's process id (for /proc/PID/status).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts <paramref name="sample"/> with <c>--port 0</c> and waits for its "listening on" line.</summary>
    public static SampleServerProcess Start(string sample, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references the samples so they are copied here.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments.Concat(["--port", "0"]))
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            string? line = process.StandardOutput.ReadLine();
            if (line is null)
            {
                break;
            }

            lines.Add(line);
            Match listening = ListeningLine().Match(line);
            if (listening.Success)
            {
                var server = new SampleServerProcess(process, IPEndPoint.Parse(listening.Groups[1].Value));
                server._output.AddRange(lines);
                return server;
            }
        }

        process.Kill();
        throw new InvalidOperationException($"{sample} did not start: {string.Join(" | ", lines)} {process.StandardError.ReadToEnd()}");
    }

    /// <summary>Resident memory of the server process in bytes (VmRSS).</summary>
    public long ResidentBytes()
    {
        string line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code and everything the server printed.</summary>
    public (int ExitCode, string Output) Stop()
    {
        Assert.Equal(0, kill(_process.Id, SIGTERM));
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(20)), "the server did not exit within 20 s of SIGTERM");
        _output.Add(_process.StandardOutput.ReadToEnd());
        _output.Add(_process.StandardError.ReadToEnd());
        return (_process.ExitCode, string.Join('\n', _output));
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

    [GeneratedRegex(@"listening on (\S+:\d+)")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
