using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Benchmarks;

/// <summary>
/// The servers of the echo benchmark (<c>LinuxIoMux.Benchmarks echo-bench-server MODE</c>, each started as the suite
/// starts it) really echo: every byte comes back, in order, on every connection, including a payload far larger than
/// the socket buffers (back-pressure); their "alloc" answer is the process's allocation counter, which grows with
/// the work done; they exit when standard input closes. Behaviour only, no timing.
/// </summary>
public sealed class EchoBenchServerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(1);

    /// <summary>Every managed mode the echo suite measures.</summary>
    public static TheoryData<string> Modes => new(["callback", "async", "sockets"]);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Server_echoes_every_byte_on_every_connection_and_reports_its_allocations(string mode)
    {
        Process server = StartServer(mode, out int port);
        try
        {
            long before = Allocated(server);
            var endpoint = new IPEndPoint(IPAddress.Loopback, port);
            using Socket first = Connect(endpoint);
            using Socket second = Connect(endpoint, smallReceiveBuffer: true);

            AssertEchoes(first, Pattern(64, seed: 1));
            AssertEchoes(second, Pattern(64, seed: 2));
            // 4 MiB into a 4 KiB receive window, read 512 bytes at a time: the echo outruns the reader, so the server
            // meets a full send buffer (EAGAIN) and must keep the unsent bytes and resume.
            AssertEchoes(second, Pattern(4 << 20, seed: 3));
            AssertEchoes(first, Pattern(1000, seed: 4));

            long after = Allocated(server);
            Assert.True(after > before, $"allocated {before} before two connections and 4 MiB of echo, {after} after");
        }
        catch
        {
            server.Kill();
            throw;
        }
        finally
        {
            server.StandardInput.Close();
        }

        bool exited = server.WaitForExit(s_timeout);
        int exitCode = exited ? server.ExitCode : -1;
        DisposeWithStreams(server);
        Assert.True(exited, $"echo-bench-server {mode} did not exit when its standard input closed");
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void Unknown_mode_is_refused_with_the_usage()
    {
        Process server = Start(["echo-bench-server", "no-such-mode"]);
        string errors = server.StandardError.ReadToEnd();
        Assert.True(server.WaitForExit(s_timeout));
        int exitCode = server.ExitCode;
        DisposeWithStreams(server);
        Assert.Equal(2, exitCode);
        Assert.Contains("usage:", errors, StringComparison.Ordinal);
    }

    /// <summary>Process.Dispose leaves redirected pipes open once they were read synchronously: close them too.</summary>
    private static void DisposeWithStreams(Process process)
    {
        process.StandardInput.Dispose();
        process.StandardOutput.Dispose();
        process.StandardError.Dispose();
        process.Dispose();
    }

    private static void AssertEchoes(Socket socket, byte[] payload)
    {
        // Send from another thread: a payload beyond the socket buffers blocks until the echo is read here.
        Task send = Task.Run(() => socket.Send(payload));
        byte[] echoed = new byte[payload.Length];
        int received = 0;
        while (received < echoed.Length)
        {
            int n;
            try
            {
                n = socket.Receive(echoed.AsSpan(received, Math.Min(512, echoed.Length - received)));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                Assert.Fail($"no echo for {socket.ReceiveTimeout} ms after {received} of {payload.Length} bytes: the server lost or withheld the rest");
                throw;
            }

            Assert.True(n > 0, $"the server closed the connection after {received} of {payload.Length} bytes");
            received += n;
        }

        Assert.True(send.Wait(s_timeout), "the send did not finish");
        Assert.Equal(payload, echoed);
    }

    private static byte[] Pattern(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Socket Connect(IPEndPoint endpoint, bool smallReceiveBuffer = false)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000, SendTimeout = 30_000 };
        if (smallReceiveBuffer)
        {
            socket.ReceiveBufferSize = 4096; // before connect, so the advertised window starts small
        }

        socket.Connect(endpoint);
        return socket;
    }

    private static long Allocated(Process server)
    {
        server.StandardInput.WriteLine("alloc");
        server.StandardInput.Flush();
        string? answer = server.StandardOutput.ReadLine();
        Assert.True(answer is not null && answer.StartsWith("allocated ", StringComparison.Ordinal), $"answer to alloc: '{answer}'");
        return long.Parse(answer["allocated ".Length..], CultureInfo.InvariantCulture);
    }

    private static Process StartServer(string mode, out int port)
    {
        Process server = Start(["echo-bench-server", mode]);
        string? line = server.StandardOutput.ReadLine();
        const string Prefix = "listening on 127.0.0.1:";
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            server.Kill();
            Assert.Fail($"echo-bench-server {mode} printed '{line}': {server.StandardError.ReadToEnd()}");
        }

        port = int.Parse(line[Prefix.Length..], CultureInfo.InvariantCulture);
        return server;
    }

    private static Process Start(string[] arguments)
    {
        string root = Util.RepositoryRoot.Require();
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        string dll = Path.Combine(root, "src", "LinuxIoMux.Benchmarks", "bin", configuration, "net10.0", "LinuxIoMux.Benchmarks.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references the benchmark project so it is built first.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments.Prepend(dll))
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
