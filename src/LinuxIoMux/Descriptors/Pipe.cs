using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>Anonymous pipes (pipe2(2)).</summary>
public static unsafe class Pipe
{
    /// <summary>Creates a pipe, close-on-exec, non-blocking unless <paramref name="nonBlocking"/> is false.</summary>
    /// <exception cref="UnixException">EMFILE, ENFILE.</exception>
    public static (FileDescriptorHandle Read, FileDescriptorHandle Write) Create(bool nonBlocking = true)
    {
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC | (nonBlocking ? LibC.O_NONBLOCK : 0)) != 0)
        {
            throw UnixException.FromLastError("pipe2");
        }

        return (FileDescriptorHandle.Own(fds[0]), FileDescriptorHandle.Own(fds[1]));
    }
}
