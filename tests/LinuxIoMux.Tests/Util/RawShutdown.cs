using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>shutdown(2) on a raw descriptor (FileDescriptorHandle has no such call; Socket.Shutdown needs a Socket).</summary>
internal static class RawShutdown
{
    public const int Read = TestLibC.SHUT_RD;
    public const int Write = TestLibC.SHUT_WR;

    /// <summary>Shuts down one direction of <paramref name="socket"/>; throws on failure.</summary>
    public static void Apply(FileDescriptorHandle socket, int how)
    {
        bool referenced = false;
        socket.DangerousAddRef(ref referenced);
        try
        {
            if (TestLibC.shutdown(socket.Fd, how) != 0)
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
}
