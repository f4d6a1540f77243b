using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <time.h>, <sys/timerfd.h>; values checked against the headers by native/layout and LayoutProbeTests.
    internal const int CLOCK_MONOTONIC = 1;
    internal const int CLOCK_BOOTTIME = 7;
    internal const int TFD_NONBLOCK = 0x800;      // == O_NONBLOCK
    internal const int TFD_CLOEXEC = 0x80000;     // == O_CLOEXEC
    internal const int TFD_TIMER_ABSTIME = 1;

    /// <summary>timerfd_create(2).</summary>
    [LibraryImport(Library, EntryPoint = "timerfd_create", SetLastError = true)]
    internal static partial int timerfd_create(int clockid, int flags);

    /// <summary>timerfd_settime(2); <paramref name="oldValue"/> may be null.</summary>
    [LibraryImport(Library, EntryPoint = "timerfd_settime", SetLastError = true)]
    internal static partial int timerfd_settime(int fd, int flags, Itimerspec* newValue, Itimerspec* oldValue);

    /// <summary>timerfd_gettime(2).</summary>
    [LibraryImport(Library, EntryPoint = "timerfd_gettime", SetLastError = true)]
    internal static partial int timerfd_gettime(int fd, Itimerspec* currValue);

    /// <summary>clock_gettime(2): the vDSO answers it without entering the kernel.</summary>
    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static partial int clock_gettime(int clockid, Timespec* tp);
}
