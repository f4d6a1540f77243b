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

}
