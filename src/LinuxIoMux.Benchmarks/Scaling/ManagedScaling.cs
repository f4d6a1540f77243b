using System.Diagnostics;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>Runs one scaling cell in this process, through the bare wrappers or the reactor.</summary>
internal static class ManagedScaling
{
    /// <summary>
    /// Opens the chain, sets up the backend, does one warm-up run (JIT, page faults, socket buffers) and then
    /// <paramref name="runs"/> timed runs; closes everything before returning.
    /// </summary>
    internal static ScalingResult Measure(ScalingBackend backend, Transport transport, int n, int active, int writes, int runs)
    {
        using Chain chain = ChainFactory.Create(transport, n);
        if (backend.Kind == MultiplexerKind.Select && chain.HighestWatchedFd() >= FdSet.Capacity)
        {
            return ScalingResult.Skipped(backend, transport, n, active,
                $"n/a (FD_SETSIZE: highest watched fd {chain.HighestWatchedFd()} >= {FdSet.Capacity})");
        }

        if (!Multiplexer.IsSupported(backend.Kind))
        {
            return ScalingResult.Skipped(backend, transport, n, active, "n/a (io_uring is disabled or blocked here)");
        }

        using IChainWaiter waiter = backend.Layer == BackendLayer.Reactor
            ? new ReactorChainWaiter(chain, backend.Kind)
            : backend.Kind switch
            {
                MultiplexerKind.Epoll => new EpollChainWaiter(chain),
                MultiplexerKind.Poll => new PollChainWaiter(chain),
                MultiplexerKind.IoUring => new IoUringChainWaiter(chain),
                MultiplexerKind.Select => new SelectChainWaiter(chain),
                _ => throw new ArgumentOutOfRangeException(nameof(backend), backend.Kind, "no bare waiter for this kind"),
            };

        RunOnce(chain, waiter, active, writes);
        var microseconds = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            microseconds[r] = RunOnce(chain, waiter, active, writes);
        }

        return new ScalingResult(backend, transport, n, active, microseconds, null);
    }

    private static double RunOnce(Chain chain, IChainWaiter waiter, int active, int writes)
    {
        long start = Stopwatch.GetTimestamp();
        chain.StartRun(active, writes);
        while (!chain.IsRunComplete)
        {
            waiter.WaitOnce();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }
}
