using LinuxIoMux.Benchmarks.Latency;
using LinuxIoMux.Benchmarks.Scaling;
using ScottPlot;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>
/// The PNG charts (ScottPlot): microseconds per run against n, log-log, one line per backend, one chart per
/// scaling series; and round-trip latency against idle connections.
/// </summary>
/// <remarks>
/// A colour per system call (select, poll, epoll), a line style per layer: solid for the bare wrappers, dashed for
/// the reactor, dotted for C, so the managed and native lines of one call sit in the same colour; the marker shape
/// repeats the layer (circle, open square, triangle) so the legend tells them apart too.
/// </remarks>
internal static class ChartWriter
{
    private const int Width = 1000;
    private const int Height = 650;

    /// <summary>Writes every chart the report has data for into <paramref name="directory"/>.</summary>
    internal static IReadOnlyList<ChartFile> WriteAll(BenchReport report, string directory)
    {
        var charts = new List<ChartFile>();
        foreach (IGrouping<(Transport Transport, int Active), ScalingResult> series in report.Scaling.GroupBy(r => (r.Transport, r.Active)))
        {
            string transport = series.Key.Transport == Transport.SocketPairs ? "socketpairs" : "datagram sockets";
            var chart = new ChartFile(
                $"scaling-{(series.Key.Transport == Transport.SocketPairs ? "pairs" : "dgram")}-active{series.Key.Active}.png",
                $"Scaling over {transport}, {series.Key.Active} active, W = {report.Writes}",
                series.Key.Transport,
                series.Key.Active);
            if (WriteScaling(chart, [.. series], Path.Combine(directory, chart.FileName)))
            {
                charts.Add(chart);
            }
        }

        if (report.Latency.Any(r => r.IsMeasured))
        {
            var chart = new ChartFile("latency.png", "Ping-pong p50 latency vs idle connections", null, 0);
            WriteLatency(chart, report.Latency, Path.Combine(directory, chart.FileName));
            charts.Add(chart);
        }

        charts.AddRange(EchoChart.WriteAll(report.Echo, directory));
        return charts;
    }

    private static bool WriteScaling(ChartFile chart, IReadOnlyList<ScalingResult> series, string path)
    {
        ScalingResult[] measured = [.. series.Where(r => r.IsMeasured)];
        if (measured.Length == 0)
        {
            return false;
        }

        var plot = new Plot();
        foreach (ScalingBackend backend in ScalingBackend.All)
        {
            ScalingResult[] points = [.. measured.Where(r => r.Backend == backend).OrderBy(r => r.N)];
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(
                points.Select(p => LogLogAxes.ToCoordinate(p.N)).ToArray(),
                points.Select(p => LogLogAxes.ToCoordinate(p.Median)).ToArray());
            Style(line, backend.Kind, backend.Layer);
            line.LegendText = backend.Name;
        }

        LogLogAxes.Apply(plot.Axes.Bottom, measured.Min(r => r.N), measured.Max(r => r.N));
        LogLogAxes.Apply(plot.Axes.Left, measured.Min(r => r.Median), measured.Max(r => r.Median));
        Finish(plot, chart.Title, "n (watched descriptors)", "median microseconds per run", path);
        return true;
    }

    private static void WriteLatency(ChartFile chart, IReadOnlyList<LatencyResult> results, string path)
    {
        LatencyResult[] measured = [.. results.Where(r => r.IsMeasured)];
        var plot = new Plot();
        foreach (LatencyServer server in LatencyServer.All)
        {
            LatencyResult[] points = [.. measured.Where(r => r.Server == server.Name).OrderBy(r => r.Idle)];
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(
                points.Select(p => LogLogAxes.ToCoordinate(p.Idle)).ToArray(),
                points.Select(p => LogLogAxes.ToCoordinate(p.P50)).ToArray());
            Style(line, server.Kind, server.IsNative ? BackendLayer.Native : BackendLayer.Reactor);
            line.LegendText = $"{server.Name} p50";
        }

        LogLogAxes.Apply(plot.Axes.Bottom, measured.Min(r => r.Idle), measured.Max(r => r.Idle));
        LogLogAxes.Apply(plot.Axes.Left, measured.Min(r => r.P50), measured.Max(r => r.P50));
        Finish(plot, chart.Title, "idle TCP connections", "p50 round trip, microseconds", path);
    }

    private static void Style(ScottPlot.Plottables.Scatter line, MultiplexerKind kind, BackendLayer layer)
    {
        line.Color = kind switch
        {
            MultiplexerKind.Select => Colors.DarkOrange,
            MultiplexerKind.Poll => Colors.SteelBlue,
            MultiplexerKind.IoUring => Colors.MediumPurple,
            _ => Colors.ForestGreen,
        };
        (line.LinePattern, line.MarkerShape) = layer switch
        {
            BackendLayer.Wrapper => (LinePattern.Solid, MarkerShape.FilledCircle),
            BackendLayer.Reactor => (LinePattern.Dashed, MarkerShape.OpenSquare),
            _ => (LinePattern.Dotted, MarkerShape.FilledTriangleUp),
        };
        line.LineWidth = 2;
        line.MarkerSize = 9;
    }

    /// <summary>Titles, labels and the legend outside the data area; saves the PNG.</summary>
    internal static void Finish(Plot plot, string title, string xLabel, string yLabel, string path)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right); // outside the data area: any corner inside would hide some series
        plot.SavePng(path, Width, Height);
    }
}
