using System.Runtime.InteropServices;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// The few libc calls the datagram transport needs that LinuxIoMux does not wrap (it has no datagram API, and the
/// benchmark must not grow one into the library): socket, bind, sendto and recv on AF_UNIX SOCK_DGRAM.
/// </summary>
internal static unsafe partial class DatagramInterop
{
    /// <summary>AF_UNIX, &lt;sys/socket.h&gt;.</summary>
    internal const int AfUnix = 1;

    /// <summary>SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC (2 | 0x800 | 0x80000 on x86-64 and arm64).</summary>
    internal const int SockDgramNonBlockCloExec = 2 | 0x800 | 0x80000;

    /// <summary>sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path.</summary>
    internal const int SockaddrUnSize = 110;

    private const string Library = "libc";

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, byte* address, uint length);

    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
