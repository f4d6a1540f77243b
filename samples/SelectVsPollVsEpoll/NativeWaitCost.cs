using System.Diagnostics;
using System.Globalization;

namespace SelectVsPollVsEpoll;

/// <summary>
/// The C column: runs native/waitcost (built by build.sh into artifacts/native), which times the same zero-timeout
/// select, poll and epoll_wait calls in C the way <see cref="BatchTimer"/> times them here, right after the managed
/// measurement of the same size, so both see the same machine load.
/// </summary>
internal static class NativeWaitCost
{
    private const string ProgramName = "waitcost";

    /// <summary>
    /// LINUXIOMUX_NATIVE_DIR if set (build.sh and the tests set it), else the first artifacts/native holding the program
    /// found walking up from this assembly's directory; null when there is none (the demo then prints no C column).
    /// </summary>
    internal static string? Locate()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("LINUXIOMUX_NATIVE_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            string path = Path.Combine(fromEnvironment, ProgramName);
            return File.Exists(path) ? path : null;
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "artifacts", "native", ProgramName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Times <paramref name="n"/> socketpairs in C, the watched ends moved to <paramref name="lowestFd"/> or above so
    /// select's nfds is the managed one (the runtime holds more descriptors open than a C program does).
    /// </summary>
    /// <exception cref="InvalidOperationException">The program failed or printed something unexpected.</exception>
    internal static WaitCosts Measure(string program, int n, int lowestFd)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { n.ToString(CultureInfo.InvariantCulture), lowestFd.ToString(CultureInfo.InvariantCulture) },
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {n} {lowestFd} exited with {process.ExitCode}: {error.Result.Trim()}");
        }

        var costs = new Dictionary<string, double>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ns))
            {
                throw new InvalidOperationException($"{program}: unexpected output line '{line}'");
            }

            costs[parts[0]] = ns;
        }

        if (!costs.TryGetValue("poll", out double poll) || !costs.TryGetValue("epoll", out double epoll))
        {
            throw new InvalidOperationException($"{program}: no poll or epoll line in '{output.Trim()}'");
        }

        return new WaitCosts(n, costs.TryGetValue("select", out double select) ? select : null, poll, epoll);
    }
}
