using LinuxIoMux.Benchmarks.Cli;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// Every scaling cell: each transport, each active count, each n (active &lt;= n), each of the nine backends. Cells
/// that cannot run here (select beyond FD_SETSIZE, more descriptors than RLIMIT_NOFILE allows) are kept with the reason.
/// </summary>
internal static class ScalingSuite
{
    /// <summary>Descriptors kept free beyond the chain's own: the runtime's, the epoll fd, the reactor's eventfd.</summary>
    private const int DescriptorReserve = 64;

    /// <summary>Runs every cell in order, reporting progress on standard error.</summary>
    internal static IReadOnlyList<ScalingResult> Run(BenchOptions options, FdLimits limits)
    {
        var cases = (from transport in options.Transports
                     from active in options.Actives
                     from n in options.Sizes
                     where active <= n
                     from backend in ScalingBackend.All
                     select (transport, active, n, backend)).ToList();
        double Predict((Transport Transport, int Active, int N, ScalingBackend Backend) c) => CostModel.ScalingSeconds(
            c.Backend.Kind, c.Backend.Layer == BackendLayer.Native, c.N, c.Active, options.Writes, options.Runs);

        var progress = new Progress("scaling", cases.Count, cases.Sum(Predict));
        string program = Path.Combine(options.NativeDirectory, "scaling");
        var results = new List<ScalingResult>(cases.Count);
        foreach ((Transport transport, int active, int n, ScalingBackend backend) in cases)
        {
            progress.Begin($"scaling {transport} n={n} active={active} {backend.Name}");
            ScalingResult result = NotApplicable(backend, transport, n, active, limits) is { } reason
                ? ScalingResult.Skipped(backend, transport, n, active, reason)
                : backend.Layer == BackendLayer.Native
                    ? NativeScaling.Measure(program, backend, transport, n, active, options.Writes, options.Runs)
                    : ManagedScaling.Measure(backend, transport, n, active, options.Writes, options.Runs);
            results.Add(result);
            progress.End(Predict((transport, active, n, backend)));
        }

        Console.Error.WriteLine($"scaling: done in {progress.Elapsed.TotalSeconds:F0} s");
        return results;
    }

    /// <summary>Why a cell cannot run on this machine before trying it, or null.</summary>
    private static string? NotApplicable(ScalingBackend backend, Transport transport, int n, int active, FdLimits limits)
    {
        int needed = ChainFactory.DescriptorsNeeded(transport, n);
        if (backend.Kind == MultiplexerKind.Select && needed >= FdSet.Capacity)
        {
            return $"n/a (FD_SETSIZE: {needed} fds, select watches fds below {FdSet.Capacity})";
        }

        if ((ulong)(needed + DescriptorReserve) > limits.Soft)
        {
            return $"n/a (RLIMIT_NOFILE hard limit {limits.Hard}: {needed} fds needed)";
        }

        return null;
    }
}
