namespace SelectVsPollVsEpoll;

/// <summary>The measured median cost of one zero-timeout wait for one number of socketpairs.</summary>
/// <param name="N">Number of socketpairs, one end of each watched.</param>
/// <param name="SelectNanoseconds">select's cost, or <see langword="null"/> when a watched fd is at least FD_SETSIZE.</param>
/// <param name="PollNanoseconds">poll's cost.</param>
/// <param name="EpollNanoseconds">epoll's cost.</param>
internal sealed record WaitCosts(int N, double? SelectNanoseconds, double PollNanoseconds, double EpollNanoseconds)
{
    /// <summary>io_uring's cost (<see cref="LinuxIoMux.IoUringMultiplexer"/>), or <see langword="null"/> where io_uring is
    /// disabled or blocked.</summary>
    internal double? IoUringNanoseconds { get; init; }

    /// <summary>How many times faster one epoll wait is than one poll wait.</summary>
    internal double EpollSpeedUpOverPoll => PollNanoseconds / EpollNanoseconds;
}
