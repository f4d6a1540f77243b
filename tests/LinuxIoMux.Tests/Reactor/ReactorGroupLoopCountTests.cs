using System.Globalization;
using System.Net;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// <see cref="ReactorGroup"/>'s default loop count under a CPU quota: one loop per CPU the process may use, which in a
/// container started with <c>--cpus 1</c> is one, not the host's core count (<c>./build.sh test-container</c> runs
/// the suite that way). The runtime computes it (<see cref="Environment.ProcessorCount"/>): the CPUs of the affinity
/// mask, capped by the cgroup's quota rounded up.
/// </summary>
public class ReactorGroupLoopCountTests
{
    [SkippableFact]
    public void Default_loop_count_is_the_cpus_the_process_may_use_affinity_capped_by_the_cgroup_quota()
    {
        string? overridden = Environment.GetEnvironmentVariable("DOTNET_PROCESSOR_COUNT");
        Skip.If(!string.IsNullOrEmpty(overridden),
            $"DOTNET_PROCESSOR_COUNT={overridden} overrides what the runtime derives from the affinity mask and the quota");
        int expected = AllowedCpus();
        if (CgroupCpuQuota() is double quota)
        {
            expected = Math.Min(expected, Math.Max(1, (int)Math.Ceiling(quota)));
        }

        using var group = new ReactorGroup(MultiplexerKind.Epoll, new IPEndPoint(IPAddress.Loopback, 0), (_, socket) => socket.Dispose());
        Assert.Equal(expected, group.Reactors.Count);
        Assert.Equal(expected, group.Acceptors.Count);
    }

    /// <summary>CPUs in this process's affinity mask (Cpus_allowed_list in /proc/self/status, e.g. "0-1" or "0,2-3").</summary>
    private static int AllowedCpus()
    {
        string list = File.ReadLines("/proc/self/status").First(line => line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        int count = 0;
        foreach (string range in list["Cpus_allowed_list:".Length..].Trim().Split(','))
        {
            string[] ends = range.Split('-');
            count += ends.Length == 1 ? 1 : int.Parse(ends[1], CultureInfo.InvariantCulture) - int.Parse(ends[0], CultureInfo.InvariantCulture) + 1;
        }

        return count;
    }

    /// <summary>
    /// The CPU quota of this process's cgroup in CPUs (quota / period), or null when it has none. cgroup v2 has it in
    /// cpu.max ("max 100000" or "QUOTA PERIOD"), v1 in cpu.cfs_quota_us (-1 for none) and cpu.cfs_period_us. Inside a
    /// container the process's own cgroup is usually the root of what is mounted, so that is tried too.
    /// </summary>
    private static double? CgroupCpuQuota()
    {
        foreach (string line in File.ReadLines("/proc/self/cgroup"))
        {
            string[] parts = line.Split(':', 3); // hierarchy-id:controllers:path
            string path = parts[2];
            if (parts[1].Split(',').Contains("cpu"))
            {
                foreach (string directory in new[] { "/sys/fs/cgroup/" + parts[1] + path, "/sys/fs/cgroup/cpu" + path, "/sys/fs/cgroup/cpu" })
                {
                    if (File.Exists(Path.Combine(directory, "cpu.cfs_quota_us")))
                    {
                        long quota = long.Parse(File.ReadAllText(Path.Combine(directory, "cpu.cfs_quota_us")), CultureInfo.InvariantCulture);
                        long period = long.Parse(File.ReadAllText(Path.Combine(directory, "cpu.cfs_period_us")), CultureInfo.InvariantCulture);
                        return quota < 0 ? null : (double)quota / period;
                    }
                }
            }
            else if (parts[0] == "0" && parts[1].Length == 0)
            {
                foreach (string directory in new[] { "/sys/fs/cgroup" + path, "/sys/fs/cgroup" })
                {
                    if (File.Exists(Path.Combine(directory, "cpu.max")))
                    {
                        string[] max = File.ReadAllText(Path.Combine(directory, "cpu.max")).Split(' ', StringSplitOptions.TrimEntries);
                        return max[0] == "max" ? null : double.Parse(max[0], CultureInfo.InvariantCulture) / double.Parse(max[1], CultureInfo.InvariantCulture);
                    }
                }
            }
        }

        return null;
    }
}
