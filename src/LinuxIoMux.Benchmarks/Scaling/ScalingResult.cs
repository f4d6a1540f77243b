namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>One cell of a scaling table: a backend at n watched descriptors with some active, or why it was not run.</summary>
/// <param name="Backend">The column.</param>
/// <param name="Transport">Socketpairs or datagram sockets.</param>
/// <param name="N">Watched descriptors.</param>
/// <param name="Active">Chains started per run.</param>
/// <param name="RunMicroseconds">Each measured run's duration (empty when not applicable).</param>
/// <param name="NotApplicable">Why the cell has no number, e.g. "n/a (FD_SETSIZE)"; null when measured.</param>
internal sealed record ScalingResult(
    ScalingBackend Backend, Transport Transport, int N, int Active, IReadOnlyList<double> RunMicroseconds, string? NotApplicable)
{
    /// <summary>True when the cell holds measurements.</summary>
    internal bool IsMeasured => NotApplicable is null && RunMicroseconds.Count > 0;

    /// <summary>Median microseconds per run.</summary>
    internal double Median => Statistics.Percentiles.Of(RunMicroseconds, 50);

    /// <summary>90th percentile microseconds per run.</summary>
    internal double P90 => Statistics.Percentiles.Of(RunMicroseconds, 90);

    /// <summary>A cell that was not run, with the reason.</summary>
    internal static ScalingResult Skipped(ScalingBackend backend, Transport transport, int n, int active, string reason) =>
        new(backend, transport, n, active, [], reason);
}
