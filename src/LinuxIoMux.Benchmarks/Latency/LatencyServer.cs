namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>One column of the latency table: how to start that echo server.</summary>
/// <param name="Name">The column heading.</param>
/// <param name="Kind">The system call its loop waits with.</param>
/// <param name="IsNative">True for native/echo_server (C, epoll).</param>
internal sealed record LatencyServer(string Name, MultiplexerKind Kind, bool IsNative)
{
    /// <summary>The reactor on each backend, then the C server.</summary>
    internal static IReadOnlyList<LatencyServer> All { get; } =
    [
        new("reactor-select", MultiplexerKind.Select, false),
        new("reactor-poll", MultiplexerKind.Poll, false),
        new("reactor-epoll", MultiplexerKind.Epoll, false),
        new("reactor-io_uring", MultiplexerKind.IoUring, false),
        new("C epoll", MultiplexerKind.Epoll, true),
    ];

    /// <summary>Starts this server as a subprocess.</summary>
    internal EchoServerProcess Start(string nativeDirectory) => IsNative
        ? EchoServerProcess.Start(Path.Combine(nativeDirectory, "echo_server"), ["0"])
        : EchoServerProcess.Start(Environment.ProcessPath!, SelfArguments("echo-server", Kind.ToString().ToLowerInvariant()));

    /// <summary>
    /// Arguments that run this program again: under <c>dotnet X.dll</c> the process path is dotnet and the dll must
    /// come first; under the apphost it is the program itself.
    /// </summary>
    internal static string[] SelfArguments(params string[] args)
    {
        string assembly = typeof(LatencyServer).Assembly.Location;
        bool viaDotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";
        return viaDotnet ? [assembly, .. args] : args;
    }
}
