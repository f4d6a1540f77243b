using LinuxIoMux.Benchmarks.Latency;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>One column of the echo benchmark: an echo server and how to start it as a subprocess.</summary>
/// <param name="Name">The column heading.</param>
/// <param name="Mode">The <c>echo-bench-server</c> mode of a managed server, or null for native/echo_server (C, epoll).</param>
internal sealed record EchoServer(string Name, string? Mode)
{
    /// <summary>The modes <c>echo-bench-server</c> accepts.</summary>
    internal static IReadOnlyList<string> ManagedModes { get; } = ["callback", "async", "sockets"];

    /// <summary>The callback reactor, the async reactor, plain Socket async on the thread pool, and the C server.</summary>
    internal static IReadOnlyList<EchoServer> All { get; } =
    [
        new("reactor-callback", "callback"),
        new("reactor-async", "async"),
        new("socket-async", "sockets"),
        new("C epoll", null),
    ];

    /// <summary>True for the servers written in C#, whose allocations are measured.</summary>
    internal bool IsManaged => Mode is not null;

    /// <summary>Starts this server as a subprocess listening on an ephemeral loopback port.</summary>
    internal EchoServerProcess Start(string nativeDirectory) => Mode is null
        ? EchoServerProcess.Start(Path.Combine(nativeDirectory, "echo_server"), ["0"])
        : EchoServerProcess.Start(Environment.ProcessPath!, LatencyServer.SelfArguments("echo-bench-server", Mode));
}
