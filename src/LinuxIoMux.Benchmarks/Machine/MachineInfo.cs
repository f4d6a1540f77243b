using System.Runtime.InteropServices;

namespace LinuxIoMux.Benchmarks.Machine;

/// <summary>What the numbers were measured on: CPU, cores, kernel, runtime and the descriptor limits.</summary>
/// <param name="Cpu">"model name" from /proc/cpuinfo.</param>
/// <param name="LogicalCores">Logical CPUs this process may run on.</param>
/// <param name="Kernel">/proc/sys/kernel/osrelease (what <c>uname -r</c> prints).</param>
/// <param name="Runtime">The .NET runtime and architecture.</param>
/// <param name="LimitsAtStart">RLIMIT_NOFILE as the process started.</param>
/// <param name="LimitsInForce">RLIMIT_NOFILE after raising the soft limit to the hard limit.</param>
internal sealed record MachineInfo(string Cpu, int LogicalCores, string Kernel, string Runtime, FdLimits LimitsAtStart, FdLimits LimitsInForce)
{
    /// <summary>Reads /proc and the runtime; <paramref name="atStart"/> and <paramref name="inForce"/> come from the caller.</summary>
    internal static MachineInfo Collect(FdLimits atStart, FdLimits inForce) => new(
        ReadCpuModel(),
        Environment.ProcessorCount,
        ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture})",
        atStart,
        inForce);

    /// <summary>The first line of a /proc file, trimmed, or null if it cannot be read.</summary>
    internal static string? ReadFirstLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>How many descriptors this process has open (entries of /proc/self/fd, less the one listing it).</summary>
    internal static int CountOpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length - 1;

    private static string ReadCpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown (no model name in /proc/cpuinfo)" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown (/proc/cpuinfo unreadable)";
        }
    }
}
