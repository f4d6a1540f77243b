using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// Measures one size: creates n socketpairs with one readable, registers the watched ends with select, poll, epoll
/// and io_uring in turn, and times a zero-timeout wait through each with <see cref="BatchTimer"/>.
/// </summary>
internal static class WaitCostMeasurement
{
    /// <summary>Measures <paramref name="n"/> socketpairs, reporting each step to <paramref name="progress"/>.</summary>
    /// <exception cref="WaitVerificationException">A wait did not report exactly one ready descriptor.</exception>
    /// <exception cref="UnixException">A system call failed (e.g. EMFILE).</exception>
    internal static WaitCosts Measure(int n, Action<string> progress)
    {
        progress($"n={n}: creating {n} socketpair{(n == 1 ? "" : "s")} ({2 * n} descriptors), one readable");
        using SocketPairSet pairs = SocketPairSet.Create(n);

        double? select = MeasureSelect(pairs, progress);
        double poll = MeasurePoll(pairs, progress);
        double epoll = MeasureEpoll(pairs, progress);
        double? ioUring = MeasureIoUring(pairs, progress);
        return new WaitCosts(n, select, poll, epoll) { IoUringNanoseconds = ioUring };
    }

    private static double? MeasureSelect(SocketPairSet pairs, Action<string> progress)
    {
        int n = pairs.Watched.Count;
        int highest = pairs.HighestWatchedFd;
        if (highest >= FdSet.Capacity)
        {
            progress($"n={n}: select  skipped: watched fd {highest} >= FD_SETSIZE ({FdSet.Capacity})");
            return null;
        }

        double nanoseconds = BatchTimer.MedianNanosecondsPerCall(new SelectWaitLoop(pairs));
        progress($"n={n}: select  {nanoseconds,10:#,0} ns per wait");
        return nanoseconds;
    }

    private static double MeasurePoll(SocketPairSet pairs, Action<string> progress)
    {
        int n = pairs.Watched.Count;
        using var set = new PollSet(n);
        foreach (FileDescriptorHandle handle in pairs.Watched)
        {
            set.Add(handle, PollEvents.In);
        }

        // No Remove ever happens, so entry i is pair i.
        double nanoseconds = BatchTimer.MedianNanosecondsPerCall(new PollWaitLoop(set, pairs.ReadyIndex));
        progress($"n={n}: poll    {nanoseconds,10:#,0} ns per wait");
        return nanoseconds;
    }

    private static double MeasureEpoll(SocketPairSet pairs, Action<string> progress)
    {
        int n = pairs.Watched.Count;
        using EpollHandle epoll = EpollHandle.Create();
        for (int i = 0; i < n; i++)
        {
            epoll.Add(pairs.Watched[i], EpollEvents.In, data: (ulong)i);
        }

        double nanoseconds = BatchTimer.MedianNanosecondsPerCall(new EpollWaitLoop(epoll, (ulong)pairs.ReadyIndex, n));
        progress($"n={n}: epoll   {nanoseconds,10:#,0} ns per wait");
        return nanoseconds;
    }

    private static double? MeasureIoUring(SocketPairSet pairs, Action<string> progress)
    {
        int n = pairs.Watched.Count;
        if (!Multiplexer.IsSupported(MultiplexerKind.IoUring))
        {
            progress($"n={n}: io_uring skipped: disabled or blocked here (see docs/io_uring.md)");
            return null;
        }

        using var ring = new IoUringMultiplexer();
        for (int i = 0; i < n; i++)
        {
            ring.Add(pairs.Watched[i].Fd, Interest.Readable, token: (ulong)i); // the pairs outlive the ring (disposed first)
        }

        double nanoseconds = BatchTimer.MedianNanosecondsPerCall(new IoUringWaitLoop(ring, (ulong)pairs.ReadyIndex, n));
        progress($"n={n}: io_uring {nanoseconds,9:#,0} ns per wait");
        return nanoseconds;
    }
}
