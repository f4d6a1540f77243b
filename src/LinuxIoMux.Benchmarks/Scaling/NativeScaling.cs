using System.Diagnostics;
using System.Globalization;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// Runs one scaling cell with native/scaling (the same workload in C) as a subprocess and parses its one
/// microseconds-per-run line per run.
/// </summary>
internal static class NativeScaling
{
    /// <summary>native/scaling's exit code when RLIMIT_NOFILE's hard limit is too low for the pairs asked for.</summary>
    private const int ExitFdLimit = 3;

    /// <summary>native/scaling's exit code when select would have to watch an fd of FD_SETSIZE or more.</summary>
    private const int ExitFdSetSize = 4;

    /// <summary>native/scaling's exit code when io_uring_setup fails with EPERM or ENOSYS (disabled or blocked here).</summary>
    private const int ExitIoUringUnavailable = 5;

    /// <summary>Runs <c>scaling BACKEND n active writes runs TRANSPORT</c> and returns its runs.</summary>
    /// <exception cref="InvalidOperationException">The program failed for another reason, or printed no runs.</exception>
    internal static ScalingResult Measure(string program, ScalingBackend backend, Transport transport, int n, int active, int writes, int runs)
    {
        string[] arguments =
        [
            backend.SyscallName,
            n.ToString(CultureInfo.InvariantCulture),
            active.ToString(CultureInfo.InvariantCulture),
            writes.ToString(CultureInfo.InvariantCulture),
            runs.ToString(CultureInfo.InvariantCulture),
            transport == Transport.SocketPairs ? "pairs" : "dgram",
        ];
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        string output;
        string stderr;
        int exitCode;
        try
        {
            Task<string> errors = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            stderr = errors.Result.Trim();
            exitCode = process.ExitCode;
        }
        finally
        {
            Cli.ChildProcess.DisposeWithStreams(process);
        }

        switch (exitCode)
        {
            case 0:
                break;
            case ExitFdSetSize:
                return ScalingResult.Skipped(backend, transport, n, active, $"n/a (FD_SETSIZE: {stderr})");
            case ExitFdLimit:
                return ScalingResult.Skipped(backend, transport, n, active, $"n/a ({stderr})");
            case ExitIoUringUnavailable:
                return ScalingResult.Skipped(backend, transport, n, active, $"n/a (io_uring is disabled or blocked here: {stderr})");
            default:
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {exitCode}: {stderr}");
        }

        double[] microseconds = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => double.Parse(line, CultureInfo.InvariantCulture))
            .ToArray();
        return microseconds.Length == runs
            ? new ScalingResult(backend, transport, n, active, microseconds, null)
            : throw new InvalidOperationException($"{program} printed {microseconds.Length} runs, expected {runs}");
    }
}
