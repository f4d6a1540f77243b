using System.Globalization;

namespace LinuxIoMux.Benchmarks.Compare;

/// <summary>
/// One row of tools/compare-servers.sh's summary.csv: a server's median figures in one test and metric, and the median
/// and spread of its per-round ratio to the peer (null when the peer had no figure in any of its rounds).
/// </summary>
internal sealed record CompareSummaryRow(
    string Test, string Metric, string Server, int Rounds, double MedianRequestsPerSecond,
    double? MedianRatio, double? MinRatio, double? MaxRatio)
{
    /// <summary>The header line the file starts with; its columns are read by name, so the order may change.</summary>
    internal const string Columns = "test,metric,server,rounds,median_rps,median_p50_ms,median_p99_ms,median_ratio,min_ratio,max_ratio";

    /// <summary>Reads summary.csv (header first).</summary>
    /// <exception cref="FormatException">The header lacks a column, or a row a number where one is expected.</exception>
    internal static IReadOnlyList<CompareSummaryRow> Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        if (lines.Length == 0)
        {
            throw new FormatException($"{path}: empty, expected the header '{Columns}'");
        }

        string[] header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is int index and >= 0
            ? index
            : throw new FormatException($"{path}: no column '{name}' in the header '{lines[0]}'");
        int test = Column("test"), metric = Column("metric"), server = Column("server"), rounds = Column("rounds");
        int rps = Column("median_rps"), ratio = Column("median_ratio"), min = Column("min_ratio"), max = Column("max_ratio");

        var rows = new List<CompareSummaryRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            string[] cells = lines[i].Split(',');
            if (cells.Length != header.Length)
            {
                throw new FormatException($"{path}:{i + 1}: {cells.Length} cells, the header has {header.Length}");
            }

            rows.Add(new CompareSummaryRow(cells[test], cells[metric], cells[server],
                int.Parse(cells[rounds], CultureInfo.InvariantCulture), Number(cells[rps], path, i),
                Optional(cells[ratio], path, i), Optional(cells[min], path, i), Optional(cells[max], path, i)));
        }

        return rows;
    }

    private static double Number(string text, string path, int line) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"{path}:{line + 1}: '{text}' is not a number");

    private static double? Optional(string text, string path, int line) => text == "n/a" ? null : Number(text, path, line);
}
