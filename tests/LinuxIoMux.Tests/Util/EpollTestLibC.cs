using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>libc calls only the epoll tests need (kept apart from the shared <see cref="TestLibC"/>).</summary>
internal static partial class EpollTestLibC
{
    public const int SHUT_WR = 1;

    /// <summary>shutdown(2) on a raw descriptor (a socketpair end, which has no System.Net.Sockets.Socket).</summary>
    [LibraryImport("libc.so.6", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int shutdown(int fd, int how);
}
