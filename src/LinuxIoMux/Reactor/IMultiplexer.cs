namespace LinuxIoMux;

/// <summary>
/// The small surface a <see cref="Reactor"/> needs from epoll, poll or select: register a descriptor number with an
/// <see cref="Interest"/> and a 64-bit token, wait into a caller-owned buffer of <see cref="ReadyEvent"/>s.
/// </summary>
/// <remarks>
/// <para><b>Contract (all backends).</b> Readiness is level-triggered unless <see cref="Interest.EdgeTriggered"/> is
/// given (epoll only). Events can be spurious: treat them as hints and handle would-block. Only readable and writable
/// are guaranteed; hang-up and error are hints (see <see cref="Readiness"/>). A wait returns at most
/// <c>events.Length</c> entries and never allocates; descriptors left out stay ready (level-triggered) and come back
/// on the next wait.</para>
/// <para><b>Descriptors.</b> Only the number is stored: no SafeHandle is referenced beyond a call. Remove a
/// descriptor <em>before</em> closing it. epoll forgets a closed descriptor by itself; poll reports it as an error
/// every wait; select would fail with EBADF, which <see cref="SelectMultiplexer"/> turns into an error report for
/// the closed descriptor.</para>
/// <para><b>Errors.</b> Precise and early, before any syscall (as CPython's selectors): a negative fd or an empty
/// interest is <see cref="ArgumentException"/>, adding a registered fd or modifying an unknown one is
/// <see cref="ArgumentException"/>, edge-triggered on poll/select is <see cref="NotSupportedException"/>, an fd of
/// 1024 or more on select is <see cref="ArgumentOutOfRangeException"/>. Kernel failures are <see cref="UnixException"/>.</para>
/// <para><b>Threads.</b> Not thread-safe: one thread registers and waits (the reactor's loop thread).</para>
/// </remarks>
public interface IMultiplexer : IDisposable
{
    /// <summary>The system call behind this multiplexer.</summary>
    MultiplexerKind Kind { get; }

    /// <summary>How many descriptors are registered.</summary>
    int Count { get; }

    /// <summary>Starts watching <paramref name="fd"/> for <paramref name="interest"/>; waits report <paramref name="token"/>.</summary>
    void Add(int fd, Interest interest, ulong token);

    /// <summary>Replaces the interest and token of a registered <paramref name="fd"/>.</summary>
    /// <remarks>Argument errors leave the registration as it was. If the kernel refuses (epoll: the fd was closed or its
    /// number reused), the fd is unregistered before the <see cref="UnixException"/> is thrown: never half-registered.
    /// A token-only change costs an epoll_ctl(MOD) on epoll (the token is the kernel's epoll_data) and no syscall on
    /// poll or select (the token lives only in the managed table).</remarks>
    void Modify(int fd, Interest interest, ulong token);

    /// <summary>Stops watching <paramref name="fd"/>.</summary>
    /// <returns>False if it was not registered (nothing happens then).</returns>
    bool Remove(int fd);

    /// <summary>True if <paramref name="fd"/> is registered.</summary>
    bool Contains(int fd);

    /// <summary>
    /// Waits until a registered descriptor is ready or <paramref name="timeout"/> passes, writing one
    /// <see cref="ReadyEvent"/> per ready descriptor to the start of <paramref name="events"/>.
    /// </summary>
    /// <param name="events">The caller's buffer; its length bounds the number of events returned.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever, zero polls; rounded up, never
    /// down, to the backend's resolution.</param>
    /// <returns>The number of entries written; 0 on timeout.</returns>
    int Wait(Span<ReadyEvent> events, TimeSpan timeout);
}
