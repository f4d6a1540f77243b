namespace LinuxIoMux;

/// <summary>The system call a <see cref="Reactor"/> (or <see cref="Multiplexer.Create"/>) waits with.</summary>
public enum MultiplexerKind
{
    /// <summary>epoll(7): O(ready) waits, kernel-side interest list, level- or edge-triggered. The Linux default.</summary>
    Epoll,

    /// <summary>poll(2): O(registered) per wait, level-triggered, no descriptor limit beyond RLIMIT_NOFILE.</summary>
    Poll,

    /// <summary>select(2): O(highest fd) per wait, level-triggered, descriptors 0 to 1023 only (FD_SETSIZE).</summary>
    Select,

    /// <summary>io_uring(7) poll requests (IORING_OP_POLL_ADD): O(ready) waits like epoll, level-triggered, Linux 5.11+;
    /// can be disabled or blocked (check <see cref="Multiplexer.IsSupported"/>). See <see cref="IoUringMultiplexer"/>.</summary>
    IoUring,
}
