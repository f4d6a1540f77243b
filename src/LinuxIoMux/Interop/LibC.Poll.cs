using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>poll(2): blocks, millisecond timeout, negative forever. <c>nfds_t</c> is unsigned long.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary>
    /// ppoll(2): nanosecond timeout (null for forever); a non-null sigmask is the thread's mask during the wait, passed
    /// on by glibc with the kernel's size (8 bytes, see <see cref="SignalSet"/>).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "ppoll", SetLastError = true)]
    internal static partial int ppoll(PollFd* fds, nuint nfds, Timespec* timeout, SignalSet* sigmask);
}
