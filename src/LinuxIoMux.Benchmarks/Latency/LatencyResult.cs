namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>One cell of the latency table: a server at N idle connections, or why it was not run.</summary>
/// <param name="Server">The column: "reactor-epoll", ..., "C epoll".</param>
/// <param name="Idle">Idle connections held open beside the active one.</param>
/// <param name="RoundTripMicroseconds">Every timed round trip.</param>
/// <param name="NotApplicable">Why there is no number, or null.</param>
internal sealed record LatencyResult(string Server, int Idle, IReadOnlyList<double> RoundTripMicroseconds, string? NotApplicable)
{
    /// <summary>True when the cell holds measurements.</summary>
    internal bool IsMeasured => NotApplicable is null && RoundTripMicroseconds.Count > 0;

    /// <summary>Median round trip, microseconds.</summary>
    internal double P50 => Statistics.Percentiles.Of(RoundTripMicroseconds, 50);

    /// <summary>99th percentile round trip, microseconds.</summary>
    internal double P99 => Statistics.Percentiles.Of(RoundTripMicroseconds, 99);
}
