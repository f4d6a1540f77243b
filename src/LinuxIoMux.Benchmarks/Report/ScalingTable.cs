using System.Globalization;
using System.Text;
using LinuxIoMux.Benchmarks.Scaling;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>
/// The markdown tables of one scaling series (a transport at one active count): median / p90 per backend and n,
/// how each backend grows from the smallest to the largest n, and the managed cost over C.
/// </summary>
internal static class ScalingTable
{
    /// <summary>Appends the series' tables and the full reasons of its n/a cells.</summary>
    internal static void Append(StringBuilder markdown, IReadOnlyList<ScalingResult> series)
    {
        IReadOnlyList<ScalingBackend> backends = ScalingBackend.All;
        int[] sizes = [.. series.Select(r => r.N).Distinct().Order()];
        ScalingResult? Cell(ScalingBackend b, int n) => series.FirstOrDefault(r => r.Backend == b && r.N == n);

        markdown.AppendLine("Median / p90 microseconds per run (lower is better):").AppendLine();
        markdown.AppendLine($"| n | {string.Join(" | ", backends.Select(b => b.Name))} |");
        markdown.AppendLine($"|---:|{string.Concat(backends.Select(_ => "---:|"))}");
        foreach (int n in sizes)
        {
            markdown.AppendLine($"| {n} | {string.Join(" | ", backends.Select(b => FormatCell(Cell(b, n))))} |");
        }

        markdown.AppendLine($"| growth, largest n ÷ smallest n | {string.Join(" | ", backends.Select(b => Growth(series, b)))} |");
        markdown.AppendLine();
        AppendManagedOverNative(markdown, series, sizes);
        AppendReasons(markdown, series);
    }

    /// <summary>The short cell text: "median / p90", or the reason up to its detail, e.g. "n/a (FD_SETSIZE)".</summary>
    internal static string FormatCell(ScalingResult? result) => result switch
    {
        null => "",
        { IsMeasured: true } => $"{Number(result.Median)} / {Number(result.P90)}",
        _ => ShortReason(result.NotApplicable!),
    };

    /// <summary>"n/a (FD_SETSIZE: detail)" becomes "n/a (FD_SETSIZE)".</summary>
    internal static string ShortReason(string reason)
    {
        int colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? reason : reason[..colon] + ")";
    }

    /// <summary>Microseconds with thousands separators and no decimals above 100, one decimal below.</summary>
    internal static string Number(double microseconds) =>
        microseconds >= 100
            ? microseconds.ToString("N0", CultureInfo.InvariantCulture)
            : microseconds.ToString("N1", CultureInfo.InvariantCulture);

    private static string Growth(IReadOnlyList<ScalingResult> series, ScalingBackend backend)
    {
        ScalingResult[] measured = [.. series.Where(r => r.Backend == backend && r.IsMeasured).OrderBy(r => r.N)];
        return measured.Length < 2
            ? "-"
            : $"{(measured[^1].Median / measured[0].Median).ToString("F1", CultureInfo.InvariantCulture)}x (n={measured[0].N}→{measured[^1].N})";
    }

    private static void AppendManagedOverNative(StringBuilder markdown, IReadOnlyList<ScalingResult> series, int[] sizes)
    {
        ScalingBackend[] managed = [.. ScalingBackend.All.Where(b => b.Layer != BackendLayer.Native)];
        markdown.AppendLine("Managed ÷ C (the same system call in native/scaling), medians:").AppendLine();
        markdown.AppendLine($"| n | {string.Join(" | ", managed.Select(b => $"{b.Name} ÷ C {b.SyscallName}"))} |");
        markdown.AppendLine($"|---:|{string.Concat(managed.Select(_ => "---:|"))}");
        foreach (int n in sizes)
        {
            IEnumerable<string> ratios = managed.Select(b =>
            {
                ScalingResult? mine = series.FirstOrDefault(r => r.Backend == b && r.N == n);
                ScalingResult? c = series.FirstOrDefault(r => r.Backend.Layer == BackendLayer.Native && r.Backend.Kind == b.Kind && r.N == n);
                return mine is { IsMeasured: true } && c is { IsMeasured: true }
                    ? (mine.Median / c.Median).ToString("F2", CultureInfo.InvariantCulture)
                    : "-";
            });
            markdown.AppendLine($"| {n} | {string.Join(" | ", ratios)} |");
        }

        markdown.AppendLine();
    }

    private static void AppendReasons(StringBuilder markdown, IReadOnlyList<ScalingResult> series)
    {
        var reasons = series.Where(r => r.NotApplicable is not null)
            .Select(r => $"n={r.N} {r.Backend.Name}: {r.NotApplicable}")
            .ToList();
        if (reasons.Count == 0)
        {
            return;
        }

        markdown.AppendLine("<details><summary>Why cells are n/a</summary>").AppendLine();
        foreach (string reason in reasons)
        {
            markdown.AppendLine($"- {reason}");
        }

        markdown.AppendLine().AppendLine("</details>").AppendLine();
    }
}
