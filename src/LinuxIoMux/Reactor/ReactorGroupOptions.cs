namespace LinuxIoMux;

/// <summary>The settings of a <see cref="ReactorGroup"/> beyond its address and callback.</summary>
public sealed class ReactorGroupOptions
{
    /// <summary>The multiplexer every loop uses; <see cref="MultiplexerKind.Epoll"/> by default.</summary>
    public MultiplexerKind Kind { get; init; } = MultiplexerKind.Epoll;

    /// <summary>Number of loops; 0 (the default) means <see cref="Environment.ProcessorCount"/>.</summary>
    public int LoopCount { get; init; }

    /// <summary>How connections reach the loops; <see cref="AcceptMode.ReusePort"/> by default.</summary>
    public AcceptMode AcceptMode { get; init; } = AcceptMode.ReusePort;

    /// <summary>
    /// Pins loop i's thread to the i-th CPU this process may run on (sched_setaffinity(2), wrapping around when
    /// there are more loops than CPUs). Off by default: pinning pays when loops own cores, and hurts on a machine
    /// whose cores other work needs.
    /// </summary>
    public bool PinThreads { get; init; }

    /// <summary>
    /// With async connection handlers: how long <see cref="ReactorGroup.Stop"/> lets a loop run after it has cancelled
    /// its handlers' token and disposed their sockets, for handlers still awaiting something else (a timer, a task of
    /// their own). 5 s by default; a loop whose handlers have all returned stops at once. Handlers still running then
    /// are abandoned: their continuations never run.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
