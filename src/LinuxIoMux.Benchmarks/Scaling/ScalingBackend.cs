namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>One column of the scaling tables: which wait loop runs the chain.</summary>
/// <param name="Name">The column heading, e.g. "epoll", "reactor-poll", "C epoll".</param>
/// <param name="Kind">The system call underneath.</param>
/// <param name="Layer">Bare wrapper, the reactor, or the C program.</param>
internal sealed record ScalingBackend(string Name, MultiplexerKind Kind, BackendLayer Layer)
{
    /// <summary>The twelve columns in table order: wrappers, reactor, C; select, poll, epoll, io_uring within each.</summary>
    internal static IReadOnlyList<ScalingBackend> All { get; } =
    [
        new("select", MultiplexerKind.Select, BackendLayer.Wrapper),
        new("poll", MultiplexerKind.Poll, BackendLayer.Wrapper),
        new("epoll", MultiplexerKind.Epoll, BackendLayer.Wrapper),
        new("io_uring", MultiplexerKind.IoUring, BackendLayer.Wrapper),
        new("reactor-select", MultiplexerKind.Select, BackendLayer.Reactor),
        new("reactor-poll", MultiplexerKind.Poll, BackendLayer.Reactor),
        new("reactor-epoll", MultiplexerKind.Epoll, BackendLayer.Reactor),
        new("reactor-io_uring", MultiplexerKind.IoUring, BackendLayer.Reactor),
        new("C select", MultiplexerKind.Select, BackendLayer.Native),
        new("C poll", MultiplexerKind.Poll, BackendLayer.Native),
        new("C epoll", MultiplexerKind.Epoll, BackendLayer.Native),
        new("C io_uring", MultiplexerKind.IoUring, BackendLayer.Native),
    ];

    /// <summary>The system call's name as the C program takes it: select, poll, epoll (or io_uring).</summary>
    internal string SyscallName => Kind == MultiplexerKind.IoUring ? "io_uring" : Kind.ToString().ToLowerInvariant();
}

/// <summary>Where a backend's wait loop lives.</summary>
internal enum BackendLayer
{
    /// <summary>The bare wrappers: EpollHandle, PollSet, Select with FdSet.</summary>
    Wrapper,

    /// <summary>A <see cref="Reactor"/> on that multiplexer, one handler per watched descriptor.</summary>
    Reactor,

    /// <summary>native/scaling, run as a subprocess.</summary>
    Native,
}
