using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>Unix stream socketpairs (socketpair(2) with AF_UNIX, SOCK_STREAM): the cheapest real socket to wait on.</summary>
public static unsafe class SocketPair
{
    /// <summary>Creates a connected pair, close-on-exec, non-blocking unless <paramref name="nonBlocking"/> is false.</summary>
    /// <exception cref="UnixException">EMFILE, ENFILE, ENOMEM.</exception>
    public static (FileDescriptorHandle First, FileDescriptorHandle Second) Create(bool nonBlocking = true)
    {
        int* fds = stackalloc int[2];
        int type = LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC | (nonBlocking ? LibC.SOCK_NONBLOCK : 0);
        if (LibC.socketpair(LibC.AF_UNIX, type, 0, fds) != 0)
        {
            throw UnixException.FromLastError("socketpair(AF_UNIX, SOCK_STREAM)");
        }

        return (FileDescriptorHandle.Own(fds[0]), FileDescriptorHandle.Own(fds[1]));
    }
}
