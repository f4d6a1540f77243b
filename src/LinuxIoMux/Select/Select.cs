using System.Runtime.InteropServices;
using LinuxIoMux.Interop;
using LinuxIoMux.Timing;

namespace LinuxIoMux;

/// <summary>select(2) over three <see cref="FdSet"/>s.</summary>
/// <remarks>
/// <para>On return each set holds only its ready descriptors, as in C: rebuild (or copy) the sets before the next
/// wait. <c>nfds</c> is computed from the highest descriptor in the three sets. The <c>timeval</c> is rebuilt for
/// every call because Linux writes the time left back into it. EINTR is retried with the time left on the monotonic
/// clock; the man page guarantees the sets are unmodified when the call fails.</para>
/// <para>select is level-triggered and its cost grows with the highest fd, not the number of fds, and it cannot watch
/// fds of 1024 or more. It is here for portability and for benchmarks; prefer <see cref="EpollHandle"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var read = new FdSet(); var write = new FdSet(); var except = new FdSet();
/// read.Set(fd);
/// int ready = Select.Wait(ref read, ref write, ref except, TimeSpan.FromSeconds(1));
/// bool readable = read.IsSet(fd);
/// </code>
/// </example>
public static unsafe class Select
{
    /// <summary>Waits until a descriptor in one of the sets is ready or the timeout passes.</summary>
    /// <param name="read">Descriptors to check for reading; on return, those ready to read.</param>
    /// <param name="write">Descriptors to check for writing; on return, those ready to write.</param>
    /// <param name="except">Descriptors to check for exceptional conditions (e.g. TCP urgent data).</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever; resolution is 1 microsecond
    /// (rounded up); at most int.MaxValue milliseconds.</param>
    /// <returns>The total number of bits set in the three sets; 0 on timeout.</returns>
    /// <exception cref="UnixException">EBADF (a closed fd is in a set), EINVAL, ENOMEM.</exception>
    public static int Wait(ref FdSet read, ref FdSet write, ref FdSet except, TimeSpan timeout) =>
        WaitCore(ref read, ref write, ref except, WaitDeadline.StartTimeSpan(timeout, nameof(timeout)));

    /// <inheritdoc cref="Wait(ref FdSet, ref FdSet, ref FdSet, TimeSpan)"/>
    /// <param name="read">Descriptors to check for reading; on return, those ready to read.</param>
    /// <param name="write">Descriptors to check for writing; on return, those ready to write.</param>
    /// <param name="except">Descriptors to check for exceptional conditions.</param>
    /// <param name="timeoutMilliseconds">-1 waits forever; 0 returns at once.</param>
    public static int Wait(ref FdSet read, ref FdSet write, ref FdSet except, int timeoutMilliseconds) =>
        WaitCore(ref read, ref write, ref except, WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)));

    /// <summary>
    /// As <see cref="Wait(ref FdSet, ref FdSet, ref FdSet, TimeSpan)"/>, with <paramref name="mask"/> as the thread's
    /// signal mask for the duration of the wait (pselect(2), the pselect6 system call; nanosecond timeout).
    /// </summary>
    /// <remarks>An interrupted wait is retried with the time left, as every wait here is; see
    /// <see cref="EpollHandle.Wait(Span{EpollEvent}, int, in SignalSet)"/> for the pattern.</remarks>
    /// <param name="read">Descriptors to check for reading; on return, those ready to read.</param>
    /// <param name="write">Descriptors to check for writing; on return, those ready to write.</param>
    /// <param name="except">Descriptors to check for exceptional conditions.</param>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever; at most int.MaxValue ms.</param>
    /// <param name="mask">The signals blocked during the wait (replaces, not adds to, the thread's mask).</param>
    public static int Wait(ref FdSet read, ref FdSet write, ref FdSet except, TimeSpan timeout, in SignalSet mask)
    {
        SignalSet local = mask; // on this frame: the kernel reads it during the whole wait
        return WaitCore(ref read, ref write, ref except, WaitDeadline.StartTimeSpan(timeout, nameof(timeout)), &local);
    }

    /// <inheritdoc cref="Wait(ref FdSet, ref FdSet, ref FdSet, TimeSpan, in SignalSet)"/>
    /// <param name="read">Descriptors to check for reading; on return, those ready to read.</param>
    /// <param name="write">Descriptors to check for writing; on return, those ready to write.</param>
    /// <param name="except">Descriptors to check for exceptional conditions.</param>
    /// <param name="timeoutMilliseconds">-1 waits forever; 0 returns at once.</param>
    /// <param name="mask">The signals blocked during the wait (replaces, not adds to, the thread's mask).</param>
    public static int Wait(ref FdSet read, ref FdSet write, ref FdSet except, int timeoutMilliseconds, in SignalSet mask)
    {
        SignalSet local = mask;
        return WaitCore(ref read, ref write, ref except, WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), &local);
    }

    /// <summary>The one wait loop: select, or pselect when <paramref name="mask"/> is not null (null: the thread's own mask).</summary>
    private static int WaitCore(ref FdSet read, ref FdSet write, ref FdSet except, in WaitDeadline deadline, SignalSet* mask = null)
    {
        int nfds = FdSet.Nfds(ref read, ref write, ref except);
        // A zero-timeout select of a small set cannot block: the import without the GC transition (LibC's remarks).
        const int MostSet = ZeroTimeoutLimits.PollEntries;
        bool withoutTransition = mask is null && deadline.IsZero && nfds <= ZeroTimeoutLimits.SelectNfds
            && FdSet.CountBelow(ref read, ref write, ref except, nfds, MostSet) <= MostSet;
        fixed (FdSet* readPointer = &read)
        fixed (FdSet* writePointer = &write)
        fixed (FdSet* exceptPointer = &except)
        {
            while (true)
            {
                // SAFETY: the three sets are pinned 128-byte fd_sets and nfds <= FD_SETSIZE, so the kernel reads and
                // writes only inside them; timeval lives on this frame for the call.
                int ready;
                if (withoutTransition)
                {
                    ready = LibC.select_zero_timeout(nfds, readPointer, writePointer, exceptPointer);
                }
                else if (mask is null)
                {
                    Timeval timeout = Timeval.FromTicks(deadline.RemainingTicks());
                    ready = LibC.select(nfds, readPointer, writePointer, exceptPointer, deadline.IsInfinite ? null : &timeout);
                }
                else
                {
                    Timespec timeout = Timespec.FromTicks(deadline.RemainingTicks());
                    ready = LibC.pselect(nfds, readPointer, writePointer, exceptPointer, deadline.IsInfinite ? null : &timeout, mask);
                }

                if (ready >= 0)
                {
                    return ready;
                }

                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new UnixException(errno, $"{(mask is null ? "select" : "pselect6")}(nfds={nfds})");
                }

                InterruptCounter.Increment();
                if (deadline.HasExpired)
                {
                    // Nothing became ready in time; the sets still hold the request, so clear them as select would.
                    read.Zero();
                    write.Zero();
                    except.Zero();
                    return 0;
                }
            }
        }
    }
}
