using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <sys/pidfd.h> (glibc 2.36). No flags are used: PIDFD_NONBLOCK only changes waitid(P_PIDFD), which this
    // library does not call (see PidFd's remarks).

    /// <summary>pidfd_open(2) (Linux 5.3, glibc 2.36): the fd is always close-on-exec.</summary>
    [LibraryImport(Library, EntryPoint = "pidfd_open", SetLastError = true)]
    internal static partial int pidfd_open(int pid, uint flags);

    /// <summary>pidfd_send_signal(2) (Linux 5.1); <paramref name="info"/> null means "as kill(2) would".</summary>
    [LibraryImport(Library, EntryPoint = "pidfd_send_signal", SetLastError = true)]
    internal static partial int pidfd_send_signal(int pidfd, int sig, void* info, uint flags);
}
