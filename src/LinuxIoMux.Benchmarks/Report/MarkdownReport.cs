using System.Globalization;
using System.Text;
using LinuxIoMux.Benchmarks.Scaling;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>Renders a <see cref="BenchReport"/> as report.md: how it was run, on what, the tables and the charts.</summary>
internal static class MarkdownReport
{
    /// <summary>The whole report; <paramref name="charts"/> are the PNG file names written beside it.</summary>
    internal static string Render(BenchReport report, IReadOnlyList<ChartFile> charts)
    {
        var markdown = new StringBuilder();
        markdown.AppendLine($"# LinuxIoMux benchmark report{(report.Quick ? " (--quick: a smoke run, not for quoting)" : "")}").AppendLine();
        markdown.AppendLine($"Command: `{report.Command}`").AppendLine();
        markdown.AppendLine($"Started {report.Started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC, " +
                            $"took {report.Duration.TotalMinutes.ToString("F1", CultureInfo.InvariantCulture)} min " +
                            $"({report.Duration.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s).").AppendLine();
        AppendMachine(markdown, report);

        if (report.Scaling.Count > 0)
        {
            markdown.AppendLine("## Scaling (libevent bench.c method)").AppendLine();
            markdown.AppendLine($"n watched descriptors; 1 or 100 of them get a byte at the start of a run; each read passes one " +
                                $"byte on to the next descriptor until W = {report.Writes} writes are done. One warm-up run, then " +
                                $"{report.Runs} timed runs (Stopwatch in C#, clock_gettime(CLOCK_MONOTONIC) in C). " +
                                "select, poll, epoll: the bare wrappers (FdSet + Select.Wait, PollSet, EpollHandle); reactor-*: " +
                                "a Reactor with one registration per descriptor; C *: native/scaling, run as a subprocess.").AppendLine();
            foreach (IGrouping<(Transport Transport, int Active), ScalingResult> series in report.Scaling.GroupBy(r => (r.Transport, r.Active)))
            {
                markdown.AppendLine($"### {TransportTitle(series.Key.Transport)}, {series.Key.Active} active").AppendLine();
                ScalingTable.Append(markdown, [.. series]);
                foreach (ChartFile chart in charts.Where(c => c.Transport == series.Key.Transport && c.Active == series.Key.Active))
                {
                    markdown.AppendLine($"![{chart.Title}]({chart.FileName})").AppendLine();
                }
            }
        }

        if (report.Latency.Count > 0)
        {
            markdown.AppendLine("## Idle connections + ping-pong latency").AppendLine();
            markdown.AppendLine($"N idle loopback TCP connections to an echo server plus one active connection doing blocking " +
                                $"64-byte ping-pongs ({report.RoundTrips} timed round trips after a warm-up). Servers run as " +
                                "subprocesses with one loop: reactor-* is this program's `echo-server` on a Reactor, C epoll is " +
                                "native/echo_server. One C# client (TCP_NODELAY) measures them all.").AppendLine();
            LatencyTable.Append(markdown, report.Latency);
            foreach (ChartFile chart in charts.Where(c => c.Transport is null && !c.IsEcho))
            {
                markdown.AppendLine($"![{chart.Title}]({chart.FileName})").AppendLine();
            }
        }

        if (report.Echo.Count > 0)
        {
            markdown.AppendLine("## Echo: round trips, throughput and allocations at N busy connections").AppendLine();
            markdown.AppendLine($"native/echo_client (C, one epoll loop, TCP_NODELAY) keeps one 64-byte message in flight on each of N " +
                                $"loopback connections: the next message goes out when the echo of the previous one is complete, so " +
                                $"N is also the number of messages in flight. Per cell {report.EchoWarmupMilliseconds} ms of warm-up, then " +
                                $"{report.EchoMeasureMilliseconds} ms measured, in {report.EchoRounds} round(s) with the servers " +
                                "taking turns (a cell's rounds pooled, so a burst of other load is shared out); every round trip of the measured phase is a sample " +
                                "(clock_gettime(CLOCK_MONOTONIC) around it). The client is C so that it costs less per round trip " +
                                "than any server here; the same client drives them all. Servers run as subprocesses, one loop each: " +
                                "reactor-callback is a Reactor (epoll) with a readiness handler per connection, reactor-async the same " +
                                "loop with an async method per connection awaiting ReactorSocket.ReceiveAsync/SendAsync (continuations " +
                                "inline on the loop thread), socket-async is " +
                                "System.Net.Sockets.Socket ReceiveAsync/SendAsync(Memory) in an async method per connection on the " +
                                "thread pool, C epoll is native/echo_server. Allocations are counted over the whole server process " +
                                "between two quiet points (no message in flight).").AppendLine();
            EchoTable.Append(markdown, report.Echo);
            foreach (ChartFile chart in charts.Where(c => c.IsEcho))
            {
                markdown.AppendLine($"![{chart.Title}]({chart.FileName})").AppendLine();
            }
        }

        return markdown.ToString();
    }

    /// <summary>The heading of a transport's series; the datagram one says why it exists.</summary>
    internal static string TransportTitle(Transport transport) => transport == Transport.SocketPairs
        ? "Socketpairs (2n fds)"
        : "Datagram sockets (n + 1 fds: n AF_UNIX SOCK_DGRAM on abstract addresses, one sender)";

    private static void AppendMachine(StringBuilder markdown, BenchReport report)
    {
        Machine.MachineInfo machine = report.Machine;
        markdown.AppendLine("| machine | |").AppendLine("|---|---|");
        markdown.AppendLine($"| CPU | {machine.Cpu} |");
        markdown.AppendLine($"| cores | {machine.LogicalCores} logical |");
        markdown.AppendLine($"| kernel | Linux {machine.Kernel} |");
        markdown.AppendLine($"| .NET | {machine.Runtime} |");
        markdown.AppendLine($"| RLIMIT_NOFILE | at start soft {machine.LimitsAtStart.Soft}, hard {machine.LimitsAtStart.Hard}; " +
                            $"in force soft {machine.LimitsInForce.Soft} (raised to the hard limit, which an unprivileged process cannot raise) |");
        markdown.AppendLine($"| open descriptors of the benchmark process | {report.OpenFdsAtStart} at start, {report.OpenFdsAtEnd} at end (the runtime maps the assemblies it loads and opens its own pipes as it goes; the end count does not grow with the number of cells, so no cell leaks) |");
        markdown.AppendLine($"| load average (/proc/loadavg) | start `{report.LoadAtStart}`, end `{report.LoadAtEnd}` |");
        markdown.AppendLine();
        markdown.AppendLine("The machine is shared: a load average near or above the core count means other work competed " +
                            "for the CPUs and the numbers are noisier; read ratios within one run rather than absolute values.");
        markdown.AppendLine();
    }
}
