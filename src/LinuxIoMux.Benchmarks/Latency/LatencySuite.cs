using System.Net.Sockets;
using LinuxIoMux.Benchmarks.Cli;

namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>
/// Every latency cell: for each idle count N and each server, N idle loopback connections plus one active 64-byte
/// ping-pong; p50 and p99 of the round trips. Cells that cannot run here are kept with the reason.
/// </summary>
internal static class LatencySuite
{
    /// <summary>Descriptors kept free beyond the connections: the runtime's own, the listener, epoll fd, eventfd.</summary>
    private const int DescriptorReserve = 128;

    /// <summary>Runs every cell, reporting progress on standard error.</summary>
    internal static IReadOnlyList<LatencyResult> Run(BenchOptions options, FdLimits limits)
    {
        var cases = (from idle in options.IdleCounts from server in LatencyServer.All select (idle, server)).ToList();
        double Predict((int Idle, LatencyServer Server) c) =>
            CostModel.LatencySeconds(c.Server.Kind, c.Idle, options.RoundTrips + options.WarmupRoundTrips);

        var progress = new Progress("latency", cases.Count, cases.Sum(Predict));
        var results = new List<LatencyResult>();
        foreach ((int idle, LatencyServer server) in cases)
        {
            progress.Begin($"latency idle={idle} {server.Name}");
            results.Add(Measure(options, limits, server, idle));
            progress.End(Predict((idle, server)));
        }

        Console.Error.WriteLine($"latency: done in {progress.Elapsed.TotalSeconds:F0} s");
        return results;
    }

    private static LatencyResult Measure(BenchOptions options, FdLimits limits, LatencyServer server, int idle)
    {
        if (server.Kind == MultiplexerKind.Select && idle + 1 >= FdSet.Capacity)
        {
            return new LatencyResult(server.Name, idle, [], $"n/a (FD_SETSIZE: {idle + 1} connections)");
        }

        if (!Multiplexer.IsSupported(server.Kind))
        {
            return new LatencyResult(server.Name, idle, [], "n/a (io_uring is disabled or blocked here)");
        }

        if ((ulong)(idle + DescriptorReserve) > limits.Soft)
        {
            return new LatencyResult(server.Name, idle, [], $"n/a (RLIMIT_NOFILE hard limit {limits.Hard})");
        }

        using EchoServerProcess process = server.Start(options.NativeDirectory);
        try
        {
            using LoopbackClient client = LoopbackClient.Connect(process.Port, idle);
            for (int i = 0; i < options.WarmupRoundTrips; i++)
            {
                client.RoundTrip();
            }

            var microseconds = new double[options.RoundTrips];
            for (int i = 0; i < microseconds.Length; i++)
            {
                microseconds[i] = client.RoundTrip();
            }

            return new LatencyResult(server.Name, idle, microseconds, null);
        }
        catch (Exception e) when (e is IOException or SocketException && server.Kind == MultiplexerKind.Select)
        {
            // The select server refuses connections whose fd is 1024 or more (its own descriptors count too).
            string why = process.Stop().Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? e.Message;
            return new LatencyResult(server.Name, idle, [], $"n/a (FD_SETSIZE: {why.Replace("echo-server: ", string.Empty, StringComparison.Ordinal)})");
        }
    }
}
