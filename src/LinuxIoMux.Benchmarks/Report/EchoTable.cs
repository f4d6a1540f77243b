using System.Globalization;
using System.Text;
using LinuxIoMux.Benchmarks.Echo;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>
/// The markdown tables of the echo cells, one row per connection count and one column per server: p50 / p99 round
/// trip, round trips per second, and server bytes allocated per round trip.
/// </summary>
internal static class EchoTable
{
    /// <summary>Appends the three tables and the full reasons of their n/a cells.</summary>
    internal static void Append(StringBuilder markdown, IReadOnlyList<EchoResult> results)
    {
        AppendTable(markdown, results, "p50 / p99 microseconds per 64-byte round trip (lower is better):",
            r => $"{ScalingTable.Number(r.P50)} / {ScalingTable.Number(r.P99)}");
        AppendTable(markdown, results, $"p50 ÷ {Baseline} p50 in the same run (below 1: faster than what users pick today; issue 11's target for the async reactor at 64 connections is 0.7 or less):",
            r => RatioToBaseline(results, r));
        AppendTable(markdown, results, "Round trips per second, all connections together (higher is better):",
            r => r.RoundTripsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        AppendTable(markdown, results, "Bytes allocated by the server process per round trip (GC.GetTotalAllocatedBytes(precise: true) over the measured phase ÷ round trips; n/a for C):",
            r => r.AllocatedBytesPerRoundTrip is { } bytes ? bytes.ToString("0.###", CultureInfo.InvariantCulture) : "n/a");
        AppendTable(markdown, results, "native/echo_client's own CPU time in the measured phase, % of one core (near 100 would mean the client, not the server, limits the cell):",
            r => (100 * r.ClientCpuShare).ToString("F0", CultureInfo.InvariantCulture) + " %");
        foreach (EchoResult skipped in results.Where(r => r.NotApplicable is not null))
        {
            markdown.AppendLine($"- connections={skipped.Connections} {skipped.Server}: {skipped.NotApplicable}");
        }

        markdown.AppendLine();
    }

    /// <summary>The column the others are compared with: System.Net.Sockets async, the default choice in C# today.</summary>
    private const string Baseline = "socket-async";

    private static string RatioToBaseline(IReadOnlyList<EchoResult> results, EchoResult cell) =>
        results.FirstOrDefault(r => r.Server == Baseline && r.Connections == cell.Connections) is { IsMeasured: true } baseline
            ? (cell.P50 / baseline.P50).ToString("F2", CultureInfo.InvariantCulture)
            : "-";

    private static void AppendTable(StringBuilder markdown, IReadOnlyList<EchoResult> results, string title, Func<EchoResult, string> format)
    {
        string[] servers = [.. EchoServer.All.Select(s => s.Name)];
        int[] counts = [.. results.Select(r => r.Connections).Distinct().Order()];
        markdown.AppendLine(title).AppendLine();
        markdown.AppendLine($"| connections | {string.Join(" | ", servers)} |");
        markdown.AppendLine($"|---:|{string.Concat(servers.Select(_ => "---:|"))}");
        foreach (int connections in counts)
        {
            IEnumerable<string> cells = servers.Select(server =>
                results.FirstOrDefault(r => r.Server == server && r.Connections == connections) switch
                {
                    null => "",
                    { IsMeasured: true } r => format(r),
                    var r => ScalingTable.ShortReason(r.NotApplicable!),
                });
            markdown.AppendLine($"| {connections.ToString("N0", CultureInfo.InvariantCulture)} | {string.Join(" | ", cells)} |");
        }

        markdown.AppendLine();
    }
}
