namespace LinuxIoMux;

/// <summary>
/// An epoll instance's busy-poll parameters (<c>struct epoll_params</c>, Linux 6.9; see
/// <see cref="EpollHandle.SetBusyPoll"/>): how long a wait spins on the network device's receive queues before it
/// sleeps, and how many packets it processes per spin.
/// </summary>
/// <param name="microseconds">How long a wait busy-polls before sleeping (busy_poll_usecs); 0 turns it off. The kernel
/// accepts at most int.MaxValue.</param>
/// <param name="budget">Packets per poll of the device queue (busy_poll_budget); 0 means the kernel's default
/// (8). More than 64 (NAPI_POLL_WEIGHT) needs CAP_NET_ADMIN.</param>
/// <param name="preferBusyPoll">Ask the driver to defer its interrupts while the application polls
/// (prefer_busy_poll, SO_PREFER_BUSY_POLL's epoll twin).</param>
public readonly struct EpollBusyPoll(uint microseconds, ushort budget, bool preferBusyPoll) : IEquatable<EpollBusyPoll>
{
    /// <summary>How long a wait busy-polls before sleeping, in microseconds; 0 is off.</summary>
    public uint Microseconds { get; } = microseconds;

    /// <summary>Packets processed per poll of the device queue; 0 is the kernel's default.</summary>
    public ushort Budget { get; } = budget;

    /// <summary>Whether the driver is asked to defer interrupts while the application polls.</summary>
    public bool PreferBusyPoll { get; } = preferBusyPoll;

    /// <inheritdoc/>
    public bool Equals(EpollBusyPoll other) =>
        Microseconds == other.Microseconds && Budget == other.Budget && PreferBusyPoll == other.PreferBusyPoll;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EpollBusyPoll other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Microseconds, Budget, PreferBusyPoll);

    /// <inheritdoc/>
    public override string ToString() => $"busy_poll_usecs={Microseconds} busy_poll_budget={Budget} prefer_busy_poll={PreferBusyPoll}";
}
