using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>FD_SETSIZE from &lt;sys/select.h&gt;: the number of bits in a glibc fd_set.</summary>
    internal const int FD_SETSIZE = 1024;

    /// <summary>
    /// select(2). Linux rewrites <paramref name="timeout"/> with the time left, so callers rebuild it per call.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "select", SetLastError = true)]
    internal static partial int select(int nfds, FdSet* readfds, FdSet* writefds, FdSet* exceptfds, Timeval* timeout);

    /// <summary>
    /// select(2) with a zero timeout (a zeroed timeval, never null: null waits forever), without the GC transition:
    /// returns at once. Only for <paramref name="nfds"/> up to <see cref="ZeroTimeoutLimits.SelectNfds"/> with at most
    /// <see cref="ZeroTimeoutLimits.PollEntries"/> descriptors set below it; why this is sound: <see cref="LibC"/>'s remarks.
    /// </summary>
    internal static int select_zero_timeout(int nfds, FdSet* readfds, FdSet* writefds, FdSet* exceptfds)
    {
        Debug.Assert(nfds <= ZeroTimeoutLimits.SelectNfds, "above it the kernel allocates its bitmaps");
        Timeval zero = default;
        return select_no_gc_transition(nfds, readfds, writefds, exceptfds, &zero);
    }

    /// <summary>select(2) without the GC transition: only ever called with a zero timeout, which cannot block.</summary>
    [LibraryImport(Library, EntryPoint = "select", SetLastError = true)]
    [SuppressGCTransition]
    private static partial int select_no_gc_transition(int nfds, FdSet* readfds, FdSet* writefds, FdSet* exceptfds, Timeval* timeout);

    /// <summary>
    /// pselect(3), the pselect6 system call on 64-bit Linux: select with a nanosecond timeout and the thread's mask
    /// replaced by <paramref name="sigmask"/> during the wait. glibc hands the kernel the pointer with the size
    /// _NSIG/8 = 8 bytes (see <see cref="SignalSet"/>).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "pselect", SetLastError = true)]
    internal static partial int pselect(int nfds, FdSet* readfds, FdSet* writefds, FdSet* exceptfds, Timespec* timeout, SignalSet* sigmask);
}
