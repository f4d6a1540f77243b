using LinuxIoMux;
using System.Runtime.InteropServices;

namespace SelectVsPollVsEpoll;

/// <summary>What the numbers were measured on: CPU, cores, kernel, runtime and the descriptor limit.</summary>
/// <param name="Cpu">The CPU model from /proc/cpuinfo.</param>
/// <param name="LogicalCores">Logical CPUs this process may run on.</param>
/// <param name="Kernel">The kernel release (/proc/sys/kernel/osrelease, as <c>uname -r</c> prints it).</param>
/// <param name="Runtime">The .NET runtime and process architecture.</param>
/// <param name="FdLimits">RLIMIT_NOFILE at start-up.</param>
internal sealed record MachineInfo(string Cpu, int LogicalCores, string Kernel, string Runtime, FdLimits FdLimits)
{
    /// <summary>Reads everything from /proc and the runtime.</summary>
    internal static MachineInfo Collect()
    {
        return new MachineInfo(
            ReadCpuModel(),
            Environment.ProcessorCount,
            ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
            $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture})",
            FdLimits.Current);
    }

    /// <summary>Writes the header block that precedes the table.</summary>
    internal void Write(TextWriter output)
    {
        output.WriteLine($"CPU:           {Cpu}");
        output.WriteLine($"Cores:         {LogicalCores} logical");
        output.WriteLine($"Kernel:        Linux {Kernel}");
        output.WriteLine($"Runtime:       {Runtime}");
        output.WriteLine($"{FdLimits} (as the process started)");
    }

    /// <summary>
    /// The "model name" line on x86; arm64 kernels often have none, so fall back to "CPU part"/"Hardware", then unknown.
    /// </summary>
    private static string ReadCpuModel()
    {
        try
        {
            string? fallback = null;
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                string key = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                if (key == "model name" && value.Length > 0)
                {
                    return value;
                }

                if (fallback is null && key is "Hardware" or "CPU part" && value.Length > 0)
                {
                    fallback = $"{key} {value}";
                }
            }

            return fallback ?? "unknown (no model name in /proc/cpuinfo)";
        }
        catch (IOException)
        {
            return "unknown (/proc/cpuinfo unreadable)";
        }
    }

    private static string? ReadFirstLine(string path)
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
}
