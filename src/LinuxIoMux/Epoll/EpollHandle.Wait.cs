using System.Runtime.InteropServices;
using LinuxIoMux.Interop;
using LinuxIoMux.Timing;

namespace LinuxIoMux;

// The waits (epoll_wait(2), epoll_pwait2(2) for sub-millisecond timeouts) and the zero-timeout fast path.
public sealed unsafe partial class EpollHandle
{
    /// <summary>
    /// Waits until at least one registered fd is ready or the timeout passes (epoll_wait(2)), writing the ready
    /// events into <paramref name="events"/>.
    /// </summary>
    /// <param name="events">Caller's buffer; at most its length events are returned.</param>
    /// <param name="timeoutMilliseconds">-1 waits forever; 0 returns at once.</param>
    /// <returns>The number of events written to the start of <paramref name="events"/>; 0 on timeout.</returns>
    /// <exception cref="ArgumentException"><paramref name="events"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutMilliseconds"/> is below -1.</exception>
    /// <exception cref="UnixException">EBADF, EINVAL or EFAULT from the kernel (EINTR is retried).</exception>
    /// <exception cref="ObjectDisposedException">This instance is disposed.</exception>
    public int Wait(Span<EpollEvent> events, int timeoutMilliseconds) =>
        WaitIntoSpan(events, WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), precise: false);

    /// <summary>
    /// As <see cref="Wait(Span{EpollEvent}, int)"/>, with a <see cref="TimeSpan"/>; a timeout that is not a whole
    /// number of milliseconds uses epoll_pwait2(2) (Linux 5.11) and is otherwise rounded up to the next millisecond.
    /// </summary>
    /// <param name="events">Caller's buffer; at most its length events are returned.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever; at most int.MaxValue ms.</param>
    public int Wait(Span<EpollEvent> events, TimeSpan timeout)
    {
        WaitDeadline deadline = WaitDeadline.StartTimeSpan(timeout, nameof(timeout));
        return WaitIntoSpan(events, deadline, deadline.HasSubMillisecondPart);
    }

    /// <summary>Waits into an <see cref="EpollBuffer"/>, which keeps the kernel's layout: no conversion at all.</summary>
    /// <returns>The number of events, also stored in <see cref="EpollBuffer.Count"/>.</returns>
    public int Wait(EpollBuffer buffer, int timeoutMilliseconds) =>
        WaitIntoBuffer(buffer, WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), precise: false);

    /// <inheritdoc cref="Wait(EpollBuffer, int)"/>
    public int Wait(EpollBuffer buffer, TimeSpan timeout)
    {
        WaitDeadline deadline = WaitDeadline.StartTimeSpan(timeout, nameof(timeout));
        return WaitIntoBuffer(buffer, deadline, deadline.HasSubMillisecondPart);
    }

    private int WaitIntoSpan(Span<EpollEvent> events, in WaitDeadline deadline, bool precise, SignalSet* mask = null)
    {
        if (events.IsEmpty)
        {
            throw new ArgumentException("epoll_wait needs room for at least one event.", nameof(events));
        }

        int maxEvents = Math.Min(events.Length, MaxEventsPerWait);
        int ready;
        fixed (EpollEvent* first = events)
        {
            // SAFETY: the span is pinned for the call and holds maxEvents * 16 bytes, more than the kernel writes.
            ready = WaitInto((byte*)first, maxEvents, deadline, precise, mask);
        }

        EpollAbi.WidenInPlace(events, ready, EpollAbi.NativeStride);
        return ready;
    }

    private int WaitIntoBuffer(EpollBuffer buffer, in WaitDeadline deadline, bool precise, SignalSet* mask = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Stride != EpollAbi.NativeStride)
        {
            throw new ArgumentException("The buffer was made for another architecture's layout.", nameof(buffer));
        }

        bool bufferReferenced = false;
        // SAFETY: the reference keeps the buffer's memory alive while the kernel writes into it, even if another
        // thread disposes the buffer meanwhile.
        buffer.Memory.DangerousAddRef(ref bufferReferenced);
        try
        {
            int ready = WaitInto(buffer.Memory.Pointer, buffer.Capacity, deadline, precise, mask);
            buffer.Count = ready;
            return ready;
        }
        finally
        {
            if (bufferReferenced)
            {
                buffer.Memory.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The one wait loop: epoll_wait or epoll_pwait2, or with a <paramref name="mask"/> epoll_pwait or epoll_pwait2
    /// (the mask is installed atomically for the wait only); EINTR retried with the time left.
    /// </summary>
    private int WaitInto(byte* records, int maxEvents, in WaitDeadline deadline, bool precise, SignalSet* mask)
    {
        bool selfReferenced = false;
        // SAFETY: keeps the epoll fd open (and its number unreused) while this thread is inside the kernel.
        DangerousAddRef(ref selfReferenced);
        try
        {
            // Disposed while another thread's wait holds a reference (AddRef succeeded): released by the finally.
            ObjectDisposedException.ThrowIf(_disposed, this);
            int epfd = (int)handle;
            while (true)
            {
                int ready = precise && !s_pwait2Missing
                    ? WaitNanoseconds(epfd, records, maxEvents, deadline, mask)
                    : mask is not null
                        ? LibC.epoll_pwait(epfd, records, maxEvents, deadline.RemainingMillisecondsRoundedUp(), mask)
                        : deadline.IsZero && maxEvents <= ZeroTimeoutLimits.EpollMaxEvents
                            ? LibC.epoll_wait_zero_timeout(epfd, records, maxEvents) // cannot block: no GC transition
                            : LibC.epoll_wait(epfd, records, maxEvents, deadline.RemainingMillisecondsRoundedUp());
                if (ready >= 0)
                {
                    return ready;
                }

                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    InterruptCounter.Increment();
                    if (deadline.HasExpired)
                    {
                        return 0;
                    }

                    continue;
                }

                if (errno == Errno.ENOSYS && precise)
                {
                    s_pwait2Missing = true;
                    continue;
                }

                throw new UnixException(errno, $"{WaitCallName(precise, mask != null)}(epfd={epfd}, maxevents={maxEvents})");
            }
        }
        finally
        {
            if (selfReferenced)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>epoll_pwait2 with the remaining time as a timespec; falls back for good when glibc lacks it.</summary>
    private static int WaitNanoseconds(int epfd, byte* records, int maxEvents, in WaitDeadline deadline, SignalSet* mask)
    {
        Timespec timeout = Timespec.FromTicks(deadline.RemainingTicks());
        try
        {
            return LibC.epoll_pwait2(epfd, records, maxEvents, deadline.IsInfinite ? null : &timeout, mask);
        }
        catch (EntryPointNotFoundException)
        {
            s_pwait2Missing = true;
            Marshal.SetLastPInvokeError((int)Errno.EINTR); // makes the caller's loop go round and use epoll_wait
            return -1;
        }
    }
}
