using System.CommandLine;

namespace LinuxIoMux.Benchmarks.Compare;

/// <summary>
/// <c>compare-chart --summary summary.csv --out compare.png</c>: the chart step of tools/compare-servers.sh, which
/// measures in shell and hands its summary here so the charts of the repository share one plotting library.
/// </summary>
internal static class CompareChartCommand
{
    /// <summary>The command word.</summary>
    internal const string Name = "compare-chart";

    /// <summary>Builds the command; its action returns 0, or 1 with the reason on stderr.</summary>
    internal static Command Create()
    {
        var summary = new Option<string>("--summary") { Description = "summary.csv written by tools/compare-servers.sh", Required = true };
        var output = new Option<string>("--out") { Description = "the PNG to write", Required = true };
        var command = new Command(Name, "the PNG chart of ./build.sh compare from its summary.csv") { summary, output };
        command.SetAction(result =>
        {
            string summaryPath = result.GetValue(summary)!;
            string outputPath = result.GetValue(output)!;
            try
            {
                int bars = CompareChart.Write(CompareSummaryRow.Read(summaryPath), outputPath);
                Console.Error.WriteLine($"compare-chart: {bars} bars in {outputPath}");
                return 0;
            }
            catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"compare-chart: {exception.Message}");
                return 1;
            }
        });
        return command;
    }
}
