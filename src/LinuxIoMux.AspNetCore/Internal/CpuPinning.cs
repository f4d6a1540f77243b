using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinuxIoMux.AspNetCore.Internal;

/// <summary>Pins a loop thread to one CPU with sched_setaffinity(2) (the core library keeps its own copy internal).</summary>
internal static unsafe partial class CpuPinning
{
    /// <summary>The CPUs this process may run on (its affinity mask: a container's cpuset or taskset narrows it), ascending.</summary>
    public static int[] AllowedCpus()
    {
        // Process.ProcessorAffinity is sched_getaffinity of the process, up to 64 CPUs: enough to choose one per loop.
        long mask = (long)Process.GetCurrentProcess().ProcessorAffinity;
        return Enumerable.Range(0, 64).Where(cpu => (mask & (1L << cpu)) != 0).ToArray();
    }

    /// <summary>Restricts the calling thread to <paramref name="cpu"/>.</summary>
    /// <exception cref="IOException">sched_setaffinity failed; the message names the call and errno.</exception>
    public static void PinCurrentThread(int cpu)
    {
        ulong mask = 1UL << cpu;
        if (sched_setaffinity(0, sizeof(ulong), &mask) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"sched_setaffinity(0, cpu {cpu}): {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nuint cpusetsize, ulong* mask);
}
