namespace LinuxIoMux;

/// <summary>How a <see cref="ReactorGroup"/> spreads incoming connections over its loops.</summary>
public enum AcceptMode
{
    /// <summary>
    /// One listening socket per loop on the same address (SO_REUSEPORT, Linux 3.9): the kernel hashes each new
    /// connection's 4-tuple to one listener. Balanced statistically; a connection waiting in a busy loop's backlog
    /// stays there. Works with every backend.
    /// </summary>
    ReusePort,

    /// <summary>
    /// One shared listening socket registered by every loop with EPOLLEXCLUSIVE (Linux 4.5): a new connection wakes
    /// one waiting loop (or a few) instead of all of them, and whichever loop is idle and wakes first accepts it.
    /// Follows load rather than a hash, but favours the loops that are waiting. Epoll backend only.
    /// </summary>
    Exclusive,
}
