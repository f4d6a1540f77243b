using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// <c>echo-bench-server callback|async|sockets</c>: one of the managed echo servers of the echo benchmark on
/// 127.0.0.1, run as a subprocess like native/echo_server. Prints "listening on 127.0.0.1:PORT", then answers the
/// harness's "alloc" lines on standard input (<see cref="AllocationControl"/>) until standard input closes.
/// </summary>
internal static class EchoBenchServer
{
    /// <summary>The listen backlog: 4096, like native/echo_server (the kernel's default somaxconn since 5.4).</summary>
    private const int Backlog = 4096;

    /// <summary>The per-connection buffer of every managed server: 16 KiB, the same as native/echo_server.</summary>
    internal const int BufferSize = 16384;

    /// <summary>Runs the server named by <paramref name="args"/>; returns the exit code.</summary>
    internal static int Run(string[] args)
    {
        Action<Socket>? start = args is [var name] ? StartFor(name) : null;
        if (start is null)
        {
            Console.Error.WriteLine($"usage: LinuxIoMux.Benchmarks echo-bench-server {string.Join('|', EchoServer.ManagedModes)}");
            return 2;
        }

        // 1,000 connections need more than the usual soft limit of 1024 descriptors.
        FdLimits.TryRaiseSoftLimit(FdLimits.Current.Hard, out _);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(Backlog);
        start(listener);
        Console.WriteLine($"listening on 127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}");
        Console.Out.Flush();
        AllocationControl.Serve();
        return 0; // the loop and pool threads are background threads: returning ends the process
    }

    private static Action<Socket>? StartFor(string mode) => mode switch
    {
        "callback" => CallbackEchoServer.Start,
        "async" => AsyncReactorEchoServer.Start,
        "sockets" => SocketAsyncEchoServer.Start,
        _ => null,
    };
}
