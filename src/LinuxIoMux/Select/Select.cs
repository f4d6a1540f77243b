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

    private static int WaitCore(ref FdSet read, ref FdSet write, ref FdSet except, in WaitDeadline deadline)
    {
        int nfds = Math.Max(read.HighestFd, Math.Max(write.HighestFd, except.HighestFd)) + 1;
        fixed (FdSet* readPointer = &read)
        fixed (FdSet* writePointer = &write)
        fixed (FdSet* exceptPointer = &except)
        {
            while (true)
            {
                // SAFETY: the three sets are pinned 128-byte fd_sets and nfds <= FD_SETSIZE, so the kernel reads and
                // writes only inside them; timeval lives on this frame for the call.
                Timeval timeout = Timeval.FromTicks(deadline.RemainingTicks());
                int ready = LibC.select(nfds, readPointer, writePointer, exceptPointer, deadline.IsInfinite ? null : &timeout);
                if (ready >= 0)
                {
                    return ready;
                }

                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new UnixException(errno, $"select(nfds={nfds})");
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
