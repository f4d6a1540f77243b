using System.Globalization;
using LinuxIoMux.Benchmarks.Cli;
using LinuxIoMux.Benchmarks.Latency;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// Every echo cell: for each connection count N and each server, native/echo_client keeps one 64-byte message in
/// flight on each of N connections for a warm-up and then a measured phase; per-round-trip p50/p99, round trips per
/// second, and the bytes the (managed) server allocated per round trip in the measured phase.
/// </summary>
internal static class EchoSuite
{
    /// <summary>Descriptors kept free beyond the connections: the runtime's own, the listener, epoll fd, eventfd.</summary>
    private const int DescriptorReserve = 128;

    /// <summary>
    /// Runs every cell <see cref="BenchOptions.EchoRounds"/> times, the servers taking turns, and pools each cell's
    /// rounds: on a shared machine a burst of someone else's load then spreads over all servers instead of landing on
    /// whichever one happened to run during it. Progress goes to standard error.
    /// </summary>
    internal static IReadOnlyList<EchoResult> Run(BenchOptions options, FdLimits limits)
    {
        var cases = (from round in Enumerable.Range(1, options.EchoRounds)
                     from connections in options.EchoConnections
                     from server in EchoServer.All
                     select (connections, server)).ToList();
        double Predict((int Connections, EchoServer Server) c) =>
            (c.Server.IsManaged ? 0.3 : 0.01) + (options.EchoWarmupMilliseconds + options.EchoMeasureMilliseconds) / 1000.0;

        var progress = new Progress("echo", cases.Count, cases.Sum(Predict));
        var results = new List<EchoResult>();
        foreach ((int connections, EchoServer server) in cases)
        {
            progress.Begin($"echo connections={connections} {server.Name}");
            results.Add(Measure(options, limits, server, connections));
            progress.End(Predict((connections, server)));
        }

        Console.Error.WriteLine($"echo: done in {progress.Elapsed.TotalSeconds:F0} s");
        return [.. results.GroupBy(r => (r.Server, r.Connections)).Select(cell => cell.Aggregate(EchoResult.Pool))];
    }

    private static EchoResult Measure(BenchOptions options, FdLimits limits, EchoServer server, int connections)
    {
        if ((ulong)(connections + DescriptorReserve) > limits.Soft)
        {
            return new EchoResult(server.Name, connections, [], 0, 0, null, $"n/a (RLIMIT_NOFILE hard limit {limits.Hard})");
        }

        using EchoServerProcess process = server.Start(options.NativeDirectory);
        try
        {
            // The first answer pays for the control path's own setup, outside the measured window.
            _ = server.IsManaged ? AllocatedBytes(process) : 0;
            using EchoClientProcess client = EchoClientProcess.StartAndWarmUp(
                options.NativeDirectory, process.Port, connections, options.EchoWarmupMilliseconds, options.EchoMeasureMilliseconds);
            long before = server.IsManaged ? AllocatedBytes(process) : 0;
            (double[] roundTrips, double seconds, double clientCpu) = client.Measure();
            long? allocated = server.IsManaged ? AllocatedBytes(process) - before : null;
            return new EchoResult(server.Name, connections, roundTrips, seconds, clientCpu, allocated, null);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"echo connections={connections} {server.Name}: {e.Message} (server: {process.Stop()})", e);
        }
    }

    private static long AllocatedBytes(EchoServerProcess process)
    {
        const string Prefix = "allocated ";
        string answer = process.Request("alloc");
        return answer.StartsWith(Prefix, StringComparison.Ordinal)
            ? long.Parse(answer.AsSpan(Prefix.Length), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the echo server answered '{answer}' to alloc");
    }
}
