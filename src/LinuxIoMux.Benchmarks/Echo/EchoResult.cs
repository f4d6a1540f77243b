namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>One cell of the echo benchmark: a server at N connections, or why it was not run.</summary>
/// <param name="Server">The column: "reactor-callback", ..., "C epoll".</param>
/// <param name="Connections">Connections, each with one 64-byte message in flight.</param>
/// <param name="RoundTripMicroseconds">Every round trip of the measured phase.</param>
/// <param name="Seconds">Wall time of the measured phase, from the first send to the last echo.</param>
/// <param name="ClientCpuSeconds">native/echo_client's own user + system time in the measured phase.</param>
/// <param name="AllocatedBytes">Bytes the server process allocated during the measured phase; null for C.</param>
/// <param name="NotApplicable">Why there is no number, or null.</param>
internal sealed record EchoResult(
    string Server, int Connections, IReadOnlyList<double> RoundTripMicroseconds, double Seconds, double ClientCpuSeconds, long? AllocatedBytes, string? NotApplicable)
{
    /// <summary>True when the cell holds measurements.</summary>
    internal bool IsMeasured => NotApplicable is null && RoundTripMicroseconds.Count > 0;

    /// <summary>Median round trip, microseconds.</summary>
    internal double P50 => Statistics.Percentiles.Of(RoundTripMicroseconds, 50);

    /// <summary>99th percentile round trip, microseconds.</summary>
    internal double P99 => Statistics.Percentiles.Of(RoundTripMicroseconds, 99);

    /// <summary>Completed round trips per second over all connections.</summary>
    internal double RoundTripsPerSecond => RoundTripMicroseconds.Count / Seconds;

    /// <summary>The client's CPU time as a share of the phase: 1 would mean the client is the bottleneck.</summary>
    internal double ClientCpuShare => ClientCpuSeconds / Seconds;

    /// <summary>Two rounds of the same cell as one: samples, times and allocations added; n/a if either is.</summary>
    internal static EchoResult Pool(EchoResult first, EchoResult second) =>
        first.NotApplicable is not null ? first
        : second.NotApplicable is not null ? second
        : first with
        {
            RoundTripMicroseconds = [.. first.RoundTripMicroseconds, .. second.RoundTripMicroseconds],
            Seconds = first.Seconds + second.Seconds,
            ClientCpuSeconds = first.ClientCpuSeconds + second.ClientCpuSeconds,
            AllocatedBytes = first.AllocatedBytes + second.AllocatedBytes,
        };

    /// <summary>Server allocations per round trip, or null for the C server.</summary>
    internal double? AllocatedBytesPerRoundTrip => AllocatedBytes is { } bytes ? (double)bytes / RoundTripMicroseconds.Count : null;
}
