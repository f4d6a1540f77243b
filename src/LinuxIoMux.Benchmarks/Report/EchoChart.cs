using LinuxIoMux.Benchmarks.Echo;
using ScottPlot;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>
/// The echo charts: p50 round trip and round trips per second against connections, log-log, one line per server.
/// All servers wait with epoll, so each gets a colour of its own instead of <see cref="ChartWriter"/>'s colour per
/// system call; C keeps the dotted line of the other charts.
/// </summary>
internal static class EchoChart
{
    /// <summary>Writes echo-latency.png and echo-throughput.png when there are measured cells.</summary>
    internal static IReadOnlyList<ChartFile> WriteAll(IReadOnlyList<EchoResult> results, string directory)
    {
        EchoResult[] measured = [.. results.Where(r => r.IsMeasured)];
        if (measured.Length == 0)
        {
            return [];
        }

        var latency = new ChartFile("echo-latency.png", "Echo p50 round trip vs connections (one message in flight each)", null, 0, IsEcho: true);
        Write(measured, r => r.P50, latency, "p50 round trip, microseconds", directory);
        var throughput = new ChartFile("echo-throughput.png", "Echo round trips per second vs connections", null, 0, IsEcho: true);
        Write(measured, r => r.RoundTripsPerSecond, throughput, "round trips per second", directory);
        return [latency, throughput];
    }

    private static void Write(EchoResult[] measured, Func<EchoResult, double> value, ChartFile chart, string yLabel, string directory)
    {
        var plot = new Plot();
        Color[] colours = [Colors.ForestGreen, Colors.MediumPurple, Colors.DarkOrange, Colors.SteelBlue];
        for (int i = 0; i < EchoServer.All.Count; i++)
        {
            EchoServer server = EchoServer.All[i];
            EchoResult[] points = [.. measured.Where(r => r.Server == server.Name).OrderBy(r => r.Connections)];
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(
                points.Select(p => LogLogAxes.ToCoordinate(p.Connections)).ToArray(),
                points.Select(p => LogLogAxes.ToCoordinate(value(p))).ToArray());
            line.Color = colours[i % colours.Length];
            (line.LinePattern, line.MarkerShape) = server.IsManaged
                ? (LinePattern.Dashed, MarkerShape.OpenSquare)
                : (LinePattern.Dotted, MarkerShape.FilledTriangleUp);
            line.LineWidth = 2;
            line.MarkerSize = 9;
            line.LegendText = server.Name;
        }

        LogLogAxes.Apply(plot.Axes.Bottom, measured.Min(r => r.Connections), measured.Max(r => r.Connections));
        LogLogAxes.Apply(plot.Axes.Left, measured.Min(value), measured.Max(value));
        ChartWriter.Finish(plot, chart.Title, "busy TCP connections", yLabel, Path.Combine(directory, chart.FileName));
    }
}
