using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>shutdown(2) on a raw descriptor (FileDescriptorHandle has no such call; Socket.Shutdown needs a Socket).</summary>
internal static partial class RawShutdown
{
    public const int Read = 0;  // SHUT_RD
    public const int Write = 1; // SHUT_WR

    /// <summary>Shuts down one direction of <paramref name="socket"/>; throws on failure.</summary>
    public static void Apply(FileDescriptorHandle socket, int how)
    {
        bool referenced = false;
        socket.DangerousAddRef(ref referenced);
        try
        {
            if (shutdown(socket.Fd, how) != 0)
            {
                throw new UnixException((Errno)Marshal.GetLastPInvokeError(), $"shutdown(fd={socket.Fd}, {how})");
            }
        }
        finally
        {
            if (referenced)
            {
                socket.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int shutdown(int fd, int how);
}
