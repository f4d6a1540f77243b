using System.Diagnostics;
using LinuxIoMux.Benchmarks.Echo;
using LinuxIoMux.Benchmarks.Latency;
using LinuxIoMux.Benchmarks.Machine;
using LinuxIoMux.Benchmarks.Report;
using LinuxIoMux.Benchmarks.Scaling;

namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>
/// <c>report</c> (scaling, latency and echo), <c>scaling</c>, <c>latency</c> or <c>echo</c>: runs the suite, writes report.md and the
/// charts into the output directory, prints the report on standard output and its path on standard error.
/// </summary>
internal static class SuiteCommand
{
    /// <summary>Runs <paramref name="command"/> with <paramref name="options"/>; returns the exit code.</summary>
    internal static int Run(string command, BenchOptions options)
    {
        DateTime started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        string loadAtStart = MachineInfo.ReadFirstLine("/proc/loadavg") ?? "unknown";
        int openFdsAtStart = MachineInfo.CountOpenDescriptors();
        FdLimits atStart = FdLimits.Current;
        FdLimits.TryRaiseSoftLimit(atStart.Hard, out FdLimits inForce);
        Console.Error.WriteLine($"bench: {command}{(options.Quick ? " --quick" : "")}, load average {loadAtStart}, {inForce}");

        IReadOnlyList<ScalingResult> scaling = command is "report" or "scaling" ? ScalingSuite.Run(options, inForce) : [];
        IReadOnlyList<LatencyResult> latency = command is "report" or "latency" ? LatencySuite.Run(options, inForce) : [];
        IReadOnlyList<EchoResult> echo = command is "report" or "echo" ? EchoSuite.Run(options, inForce) : [];

        var report = new BenchReport(
            options.CommandLine, options.Quick, options.Writes, options.Runs, options.RoundTrips,
            MachineInfo.Collect(atStart, inForce), loadAtStart, MachineInfo.ReadFirstLine("/proc/loadavg") ?? "unknown",
            started, clock.Elapsed, scaling, latency, echo, options.EchoWarmupMilliseconds, options.EchoMeasureMilliseconds, options.EchoRounds, openFdsAtStart, MachineInfo.CountOpenDescriptors());
        Console.Error.WriteLine($"bench: open descriptors at start {report.OpenFdsAtStart}, at end {report.OpenFdsAtEnd}");
        Directory.CreateDirectory(options.OutputDirectory);
        IReadOnlyList<ChartFile> charts = ChartWriter.WriteAll(report, options.OutputDirectory);
        string markdown = MarkdownReport.Render(report, charts);
        string path = Path.Combine(options.OutputDirectory, "report.md");
        File.WriteAllText(path, markdown);
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"bench: report written to {Path.GetFullPath(path)} ({charts.Count} charts) in {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }
}
