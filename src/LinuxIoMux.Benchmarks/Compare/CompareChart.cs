using ScottPlot;

namespace LinuxIoMux.Benchmarks.Compare;

/// <summary>
/// The chart of ./build.sh compare (ScottPlot): one group of bars per test and metric, one bar per server, its height the
/// median ratio to the group's peer, the whisker its spread over the rounds, and a line at 1.0 (the peer itself).
/// </summary>
internal static class CompareChart
{
    private const int Width = 1200;
    private const int Height = 650;

    /// <summary>Writes the PNG; returns how many bars it drew (rows without a ratio are left out).</summary>
    internal static int Write(IReadOnlyList<CompareSummaryRow> rows, string path)
    {
        CompareSummaryRow[] measured = [.. rows.Where(r => r.MedianRatio is not null)];
        string[] groups = [.. measured.Select(r => $"{r.Test} {r.Metric}").Distinct()];
        string[] servers = [.. measured.Select(r => r.Server).Distinct()];

        var plot = new Plot();
        IPalette palette = new ScottPlot.Palettes.Category10();
        double slot = 1.0 / (servers.Length + 1); // one empty slot between groups
        var bars = new List<Bar>();
        var whiskers = new List<(double Position, double Min, double Max)>();
        for (int s = 0; s < servers.Length; s++)
        {
            Color color = palette.GetColor(s);
            foreach (CompareSummaryRow row in measured.Where(r => r.Server == servers[s]))
            {
                double position = Array.IndexOf(groups, $"{row.Test} {row.Metric}") + s * slot;
                bars.Add(new Bar
                {
                    Position = position,
                    Value = row.MedianRatio!.Value,
                    Error = 0, // the spread is asymmetric: drawn below as a whisker from min to max
                    FillColor = color,
                    Size = slot * 0.9,
                });
                whiskers.Add((position, row.MinRatio!.Value, row.MaxRatio!.Value));
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = servers[s], FillColor = color });
        }

        plot.Add.Bars(bars);
        foreach ((double position, double min, double max) in whiskers) // after the bars, so no bar hides its lower half
        {
            var whisker = plot.Add.Line(position, min, position, max);
            whisker.Color = Colors.Black;
            whisker.LineWidth = 1.5f;
        }

        var peer = plot.Add.HorizontalLine(1.0);
        peer.LinePattern = LinePattern.Dashed;
        peer.Color = Colors.Gray;

        double centre = (servers.Length - 1) * slot / 2;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. groups.Select((name, index) => index + centre)], groups);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Requests/s relative to the peer (redis-server, nginx): median of the rounds, whisker min-max");
        plot.YLabel("ratio to the peer (1.0 = the peer)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
        return bars.Count;
    }
}
