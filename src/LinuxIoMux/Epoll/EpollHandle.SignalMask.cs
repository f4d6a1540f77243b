using LinuxIoMux.Timing;

namespace LinuxIoMux;

// The signal-safe waits (epoll_pwait(2), epoll_pwait2(2)): a wait with a signal mask installed for its duration.
public sealed unsafe partial class EpollHandle
{
    /// <summary>
    /// As <see cref="Wait(Span{EpollEvent}, int)"/>, with <paramref name="mask"/> as the thread's signal mask for the
    /// duration of the wait (epoll_pwait(2)): the kernel swaps the mask in and out atomically around the sleep.
    /// </summary>
    /// <remarks>
    /// <para>The race it closes: a thread that blocks a signal, checks a flag the handler sets, and then unblocks and
    /// waits would miss a signal that lands between the unblock and the wait. With the signal blocked at all other
    /// times and left out of <paramref name="mask"/>, it can only be delivered inside the wait, where it interrupts
    /// it. The usual mask is the thread's own with the signal removed:
    /// <c>var mask = ThreadSignalMask.Get(); mask.Remove(UnixSignal.SIGHUP);</c>.</para>
    /// <para>An interrupted wait is retried with the time left, as every wait here is: the signal's handler has run
    /// (so its flag is set) and the loop sees it after the wait returns, at the latest when the timeout ends. To wake
    /// the loop at once, have the handler write to an <see cref="EventFd"/> in the set, or use a
    /// <see cref="SignalFd"/> instead of a handler.</para>
    /// </remarks>
    /// <param name="events">Caller's buffer; at most its length events are returned.</param>
    /// <param name="timeoutMilliseconds">-1 waits forever; 0 returns at once.</param>
    /// <param name="mask">The signals blocked during the wait (replaces, not adds to, the thread's mask).</param>
    /// <returns>The number of events written to the start of <paramref name="events"/>; 0 on timeout.</returns>
    /// <exception cref="ArgumentException"><paramref name="events"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutMilliseconds"/> is below -1.</exception>
    /// <exception cref="UnixException">EBADF, EINVAL or EFAULT from the kernel (EINTR is retried).</exception>
    /// <exception cref="ObjectDisposedException">This instance is disposed.</exception>
    public int Wait(Span<EpollEvent> events, int timeoutMilliseconds, in SignalSet mask)
    {
        SignalSet local = mask; // on this frame: the kernel reads it during the whole wait
        return WaitIntoSpan(events, WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), precise: false, &local);
    }

    /// <summary>
    /// As <see cref="Wait(Span{EpollEvent}, int, in SignalSet)"/> with a <see cref="TimeSpan"/>: a timeout that is not
    /// a whole number of milliseconds uses epoll_pwait2(2) (Linux 5.11), otherwise epoll_pwait(2) rounded up.
    /// </summary>
    /// <param name="events">Caller's buffer; at most its length events are returned.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever; at most int.MaxValue ms.</param>
    /// <param name="mask">The signals blocked during the wait (replaces, not adds to, the thread's mask).</param>
    public int Wait(Span<EpollEvent> events, TimeSpan timeout, in SignalSet mask)
    {
        SignalSet local = mask;
        WaitDeadline deadline = WaitDeadline.StartTimeSpan(timeout, nameof(timeout));
        return WaitIntoSpan(events, deadline, deadline.HasSubMillisecondPart, &local);
    }

    /// <summary>As <see cref="Wait(EpollBuffer, int)"/>, with <paramref name="mask"/> as the thread's signal mask during the wait.</summary>
    /// <inheritdoc cref="Wait(Span{EpollEvent}, int, in SignalSet)"/>
    public int Wait(EpollBuffer buffer, int timeoutMilliseconds, in SignalSet mask)
    {
        SignalSet local = mask;
        return WaitIntoBuffer(buffer, WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), precise: false, &local);
    }

    /// <summary>As <see cref="Wait(EpollBuffer, TimeSpan)"/>, with <paramref name="mask"/> as the thread's signal mask during the wait.</summary>
    /// <inheritdoc cref="Wait(Span{EpollEvent}, TimeSpan, in SignalSet)"/>
    public int Wait(EpollBuffer buffer, TimeSpan timeout, in SignalSet mask)
    {
        SignalSet local = mask;
        WaitDeadline deadline = WaitDeadline.StartTimeSpan(timeout, nameof(timeout));
        return WaitIntoBuffer(buffer, deadline, deadline.HasSubMillisecondPart, &local);
    }

    /// <summary>The call a failure names: which of the four wait syscalls was made.</summary>
    private static string WaitCallName(bool precise, bool masked) => (precise && !s_pwait2Missing, masked) switch
    {
        (true, _) => "epoll_pwait2",
        (false, true) => "epoll_pwait",
        (false, false) => "epoll_wait",
    };
}
