using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>
    /// accept4(2) with null address arguments: returns the new fd, or -1 with errno (EAGAIN when the backlog is empty,
    /// EMFILE/ENFILE at the descriptor limits, ECONNABORTED for a connection reset while queued). Used instead of
    /// <c>Socket.Accept</c>, which reports each of these as a thrown SocketException.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "accept4", SetLastError = true)]
    internal static partial int accept4(int sockfd, void* addr, void* addrlen, int flags);
}
