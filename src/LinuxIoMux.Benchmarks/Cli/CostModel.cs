namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>
/// Rough per-case durations for the progress estimate. The constants are round figures from the first runs on the
/// 2-core development VM (native/scaling: ~2.5 us per epoll wake-up, ~0.12 us per watched fd per poll or select
/// call); they only steer the "left" estimate, which <see cref="Progress"/> rescales as cases finish.
/// </summary>
internal static class CostModel
{
    private const double MicrosecondsPerRead = 2.5;
    private const double MicrosecondsPerScannedFd = 0.12;
    private const double MicrosecondsPerDescriptorOpened = 10;
    private const double NativeStartSeconds = 0.005;
    private const double DotnetStartSeconds = 0.1;

    /// <summary>One scaling cell: setup, one warm-up run and the timed runs.</summary>
    internal static double ScalingSeconds(MultiplexerKind kind, bool native, int n, int active, int writes, int runs)
    {
        double reads = active + writes;
        double waits = reads / active;
        double scan = kind is MultiplexerKind.Epoll or MultiplexerKind.IoUring ? 0 : waits * n * MicrosecondsPerScannedFd;
        double run = reads * MicrosecondsPerRead + scan;
        double setup = n * 2 * MicrosecondsPerDescriptorOpened;
        return ((runs + 1) * run + setup) / 1e6 + (native ? NativeStartSeconds : 0.001);
    }

    /// <summary>One latency cell: server start, connecting the idle connections, the round trips.</summary>
    internal static double LatencySeconds(MultiplexerKind kind, int idle, int roundTrips)
    {
        double perRoundTrip = 30 + (kind is MultiplexerKind.Epoll or MultiplexerKind.IoUring ? 0 : idle * MicrosecondsPerScannedFd);
        return DotnetStartSeconds + idle * 60 / 1e6 + roundTrips * perRoundTrip / 1e6;
    }
}
