using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <sys/epoll.h>; values checked against the headers by native/layout and LayoutProbeTests.
    internal const int EPOLL_CLOEXEC = 0x80000; // == O_CLOEXEC (octal 02000000). Mono.Posix gets this wrong.
    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const int EPOLL_CTL_MOD = 3;

    /// <summary>epoll_create1(2).</summary>
    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int epoll_create1(int flags);

    /// <summary>
    /// epoll_ctl(2). <paramref name="nativeEvent"/> points at a <c>struct epoll_event</c> in the kernel's layout
    /// for this architecture (see <see cref="EpollAbi"/>), or is null for <c>EPOLL_CTL_DEL</c>.
    /// Does not block, but it takes the epoll mutex, so no SuppressGCTransition.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int epoll_ctl(int epfd, int op, int fd, void* nativeEvent);

    /// <summary>epoll_wait(2): blocks, millisecond timeout, -1 forever.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int epoll_wait(int epfd, void* events, int maxevents, int timeout);

    /// <summary>
    /// epoll_wait(2) with a zero timeout, without the GC transition: returns at once. Only for
    /// <paramref name="maxevents"/> up to <see cref="ZeroTimeoutLimits.EpollMaxEvents"/>; why this is sound:
    /// <see cref="LibC"/>'s remarks.
    /// </summary>
    internal static int epoll_wait_zero_timeout(int epfd, void* events, int maxevents)
    {
        Debug.Assert(maxevents <= ZeroTimeoutLimits.EpollMaxEvents, "the kernel's work grows with maxevents");
        return epoll_wait_no_gc_transition(epfd, events, maxevents, timeout: 0);
    }

    /// <summary>epoll_wait(2) without the GC transition: only ever called with a zero timeout, which cannot block.</summary>
    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    [SuppressGCTransition]
    private static partial int epoll_wait_no_gc_transition(int epfd, void* events, int maxevents, int timeout);

    /// <summary>
    /// epoll_pwait(2): epoll_wait with <paramref name="sigmask"/> installed as the thread's mask for the wait only.
    /// glibc passes the pointer on with the kernel's size (_NSIG/8 = 8 bytes), the size of <see cref="SignalSet"/>.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "epoll_pwait", SetLastError = true)]
    internal static partial int epoll_pwait(int epfd, void* events, int maxevents, int timeout, SignalSet* sigmask);

    /// <summary>
    /// epoll_pwait2(2) (Linux 5.11, glibc 2.35): nanosecond timeout, null for forever; a null sigmask makes it
    /// epoll_wait, a non-null one is applied as in epoll_pwait (8 bytes read, see <see cref="SignalSet"/>).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "epoll_pwait2", SetLastError = true)]
    internal static partial int epoll_pwait2(int epfd, void* events, int maxevents, Timespec* timeout, SignalSet* sigmask);
}
