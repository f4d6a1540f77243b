using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <sys/socket.h>, <fcntl.h>
    internal const int AF_UNIX = 1;
    internal const int SOCK_STREAM = 1;
    internal const int SOCK_NONBLOCK = 0x800;  // == O_NONBLOCK
    internal const int SOCK_CLOEXEC = 0x80000; // == O_CLOEXEC
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    /// <summary>socketpair(2). <paramref name="fds"/> points at int[2].</summary>
    [LibraryImport(Library, EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int socketpair(int domain, int type, int protocol, int* fds);

    /// <summary>pipe2(2). <paramref name="fds"/> points at int[2].</summary>
    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int pipe2(int* fds, int flags);
}
