using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>CPU_SETSIZE from &lt;sched.h&gt;: the bits in glibc's cpu_set_t (128 bytes).</summary>
    internal const int CPU_SETSIZE = 1024;

    /// <summary>sched_getaffinity(2); pid 0 is the calling thread.</summary>
    [LibraryImport(Library, EntryPoint = "sched_getaffinity", SetLastError = true)]
    internal static partial int sched_getaffinity(int pid, nuint cpusetsize, ulong* mask);

    /// <summary>sched_setaffinity(2); pid 0 is the calling thread.</summary>
    [LibraryImport(Library, EntryPoint = "sched_setaffinity", SetLastError = true)]
    internal static partial int sched_setaffinity(int pid, nuint cpusetsize, ulong* mask);
}
