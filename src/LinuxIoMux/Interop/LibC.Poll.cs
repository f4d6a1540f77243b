using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>poll(2): blocks, millisecond timeout, negative forever. <c>nfds_t</c> is unsigned long.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary>
    /// poll(2) with a zero timeout, without the GC transition: returns at once. Only for <paramref name="nfds"/> up to
    /// <see cref="ZeroTimeoutLimits.PollEntries"/>; why this is sound: <see cref="LibC"/>'s remarks.
    /// </summary>
    internal static int poll_zero_timeout(PollFd* fds, nuint nfds)
    {
        Debug.Assert(nfds <= ZeroTimeoutLimits.PollEntries, "above it the kernel allocates its copy of the array");
        return poll_no_gc_transition(fds, nfds, timeout: 0);
    }

    /// <summary>poll(2) without the GC transition: only ever called with a zero timeout, which cannot block.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    [SuppressGCTransition]
    private static partial int poll_no_gc_transition(PollFd* fds, nuint nfds, int timeout);

    /// <summary>
    /// ppoll(2): nanosecond timeout (null for forever); a non-null sigmask is the thread's mask during the wait, passed
    /// on by glibc with the kernel's size (8 bytes, see <see cref="SignalSet"/>).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "ppoll", SetLastError = true)]
    internal static partial int ppoll(PollFd* fds, nuint nfds, Timespec* timeout, SignalSet* sigmask);
}
