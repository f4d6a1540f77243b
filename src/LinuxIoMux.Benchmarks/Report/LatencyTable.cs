using System.Text;
using LinuxIoMux.Benchmarks.Latency;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>The markdown table of the latency cells: p50 / p99 round trip per server and idle count.</summary>
internal static class LatencyTable
{
    /// <summary>Appends the table and the full reasons of its n/a cells.</summary>
    internal static void Append(StringBuilder markdown, IReadOnlyList<LatencyResult> results)
    {
        string[] servers = [.. LatencyServer.All.Select(s => s.Name)];
        int[] idleCounts = [.. results.Select(r => r.Idle).Distinct().Order()];
        markdown.AppendLine("p50 / p99 microseconds per 64-byte round trip (lower is better):").AppendLine();
        markdown.AppendLine($"| idle connections | {string.Join(" | ", servers)} |");
        markdown.AppendLine($"|---:|{string.Concat(servers.Select(_ => "---:|"))}");
        foreach (int idle in idleCounts)
        {
            IEnumerable<string> cells = servers.Select(server =>
                results.FirstOrDefault(r => r.Server == server && r.Idle == idle) switch
                {
                    null => "",
                    { IsMeasured: true } r => $"{ScalingTable.Number(r.P50)} / {ScalingTable.Number(r.P99)}",
                    var r => ScalingTable.ShortReason(r.NotApplicable!),
                });
            markdown.AppendLine($"| {idle} | {string.Join(" | ", cells)} |");
        }

        markdown.AppendLine();
        foreach (LatencyResult skipped in results.Where(r => r.NotApplicable is not null))
        {
            markdown.AppendLine($"- idle={skipped.Idle} {skipped.Server}: {skipped.NotApplicable}");
        }

        markdown.AppendLine();
    }
}
