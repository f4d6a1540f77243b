using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>The CPUs a thread may run on (sched_getaffinity/sched_setaffinity), for pinning ReactorGroup loops.</summary>
internal static unsafe class CpuAffinity
{
    private const int Words = LibC.CPU_SETSIZE / 64;

    /// <summary>The CPUs the calling thread may run on, ascending (a container's cpuset or taskset narrows them).</summary>
    internal static int[] Allowed()
    {
        ulong* mask = stackalloc ulong[Words];
        new Span<ulong>(mask, Words).Clear();
        if (LibC.sched_getaffinity(0, (nuint)(Words * sizeof(ulong)), mask) != 0)
        {
            throw UnixException.FromLastError("sched_getaffinity(0)");
        }

        var cpus = new List<int>();
        for (int cpu = 0; cpu < LibC.CPU_SETSIZE; cpu++)
        {
            if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
            {
                cpus.Add(cpu);
            }
        }

        return cpus.ToArray();
    }

    /// <summary>Restricts the calling thread to <paramref name="cpu"/>.</summary>
    internal static void PinCurrentThread(int cpu)
    {
        ulong* mask = stackalloc ulong[Words];
        new Span<ulong>(mask, Words).Clear();
        mask[cpu / 64] = 1UL << (cpu % 64);
        if (LibC.sched_setaffinity(0, (nuint)(Words * sizeof(ulong)), mask) != 0)
        {
            throw UnixException.FromLastError($"sched_setaffinity(0, cpu {cpu})");
        }
    }
}
