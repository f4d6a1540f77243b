using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <signal.h>, <sys/signalfd.h>; values checked against the headers by native/layout and LayoutProbeTests.
    internal const int SIG_BLOCK = 0;
    internal const int SIG_UNBLOCK = 1;
    internal const int SIG_SETMASK = 2;
    internal const int SFD_NONBLOCK = 0x800;   // == O_NONBLOCK
    internal const int SFD_CLOEXEC = 0x80000;  // == O_CLOEXEC

    /// <summary>
    /// glibc's sigset_t is this many unsigned longs (1024 bits, 128 bytes), of which the kernel reads only the first
    /// _NSIG/8 = 8 bytes. Only pthread_sigmask needs a buffer this large: glibc copies the whole set when it strips
    /// its internal signals.
    /// </summary>
    internal const int _SIGSET_NWORDS = 16;

    /// <summary>
    /// pthread_sigmask(3): the calling thread's mask. <paramref name="set"/> and <paramref name="oldset"/> point at
    /// glibc-sized sets (_SIGSET_NWORDS unsigned longs). Returns the error number instead of setting errno.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "pthread_sigmask")]
    internal static partial int pthread_sigmask(int how, void* set, void* oldset);

    /// <summary>
    /// signalfd(2), which glibc implements as signalfd4(fd, mask, _NSIG/8, flags): the kernel reads 8 bytes of
    /// <paramref name="mask"/>, so the 8-byte <see cref="SignalSet"/> is passed as is.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "signalfd", SetLastError = true)]
    internal static partial int signalfd(int fd, SignalSet* mask, int flags);
}
