using LinuxIoMux.Benchmarks.Echo;
using LinuxIoMux.Benchmarks.Latency;
using LinuxIoMux.Benchmarks.Machine;
using LinuxIoMux.Benchmarks.Scaling;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>Everything one suite run produced, as the markdown report and the charts read it.</summary>
/// <param name="Command">The command that produced it, quoted in the report.</param>
/// <param name="Quick">True for a --quick run.</param>
/// <param name="Writes">W, chained writes per run.</param>
/// <param name="Runs">Timed runs per scaling cell.</param>
/// <param name="RoundTrips">Timed round trips per latency cell.</param>
/// <param name="Machine">CPU, cores, kernel, runtime, limits.</param>
/// <param name="LoadAtStart">/proc/loadavg when the run started.</param>
/// <param name="LoadAtEnd">/proc/loadavg when it ended.</param>
/// <param name="Started">Wall-clock start (UTC).</param>
/// <param name="Duration">Wall time of the whole run.</param>
/// <param name="Scaling">The scaling cells (empty if not run).</param>
/// <param name="Latency">The latency cells (empty if not run).</param>
/// <param name="Echo">The echo cells (empty if not run).</param>
/// <param name="EchoWarmupMilliseconds">Echo warm-up per cell.</param>
/// <param name="EchoMeasureMilliseconds">Echo measured phase per cell and round.</param>
/// <param name="EchoRounds">Rounds over every echo cell, pooled per cell.</param>
/// <param name="OpenFdsAtStart">Entries in /proc/self/fd when the run started.</param>
/// <param name="OpenFdsAtEnd">Entries in /proc/self/fd after every cell closed its descriptors.</param>
internal sealed record BenchReport(
    string Command,
    bool Quick,
    int Writes,
    int Runs,
    int RoundTrips,
    MachineInfo Machine,
    string LoadAtStart,
    string LoadAtEnd,
    DateTime Started,
    TimeSpan Duration,
    IReadOnlyList<ScalingResult> Scaling,
    IReadOnlyList<LatencyResult> Latency,
    IReadOnlyList<EchoResult> Echo,
    int EchoWarmupMilliseconds,
    int EchoMeasureMilliseconds,
    int EchoRounds,
    int OpenFdsAtStart,
    int OpenFdsAtEnd);
