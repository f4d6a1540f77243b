using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LinuxIoMux.Tests.Util;

/// <summary>A pseudo-terminal pair for the tests: posix_openpt(3), grantpt(3), unlockpt(3), ptsname_r(3), open(2).</summary>
internal static unsafe partial class Pty
{
    private const string Library = "libc.so.6";
    private const int O_RDWR = 2;
    private const int O_NOCTTY = 0x100;
    private const int O_CLOEXEC = 0x80000;

    /// <summary>Opens a master and its slave (both close-on-exec, not the controlling terminal).</summary>
    public static (SafeFileHandle Master, SafeFileHandle Slave) Open()
    {
        var master = new SafeFileHandle(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC), ownsHandle: true);
        if (master.IsInvalid)
        {
            throw UnixException.FromLastError("posix_openpt(O_RDWR | O_NOCTTY)");
        }

        try
        {
            int fd = (int)master.DangerousGetHandle();
            byte* name = stackalloc byte[128];
            if (grantpt(fd) != 0 || unlockpt(fd) != 0)
            {
                throw new UnixException((Errno)Marshal.GetLastPInvokeError(), $"grantpt/unlockpt(fd={fd})");
            }

            int error = ptsname_r(fd, name, 128);
            if (error != 0)
            {
                throw new UnixException((Errno)error, $"ptsname_r(fd={fd})");
            }

            var slave = new SafeFileHandle(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC), ownsHandle: true);
            if (slave.IsInvalid)
            {
                throw UnixException.FromLastError($"open({Marshal.PtrToStringUTF8((nint)name)})");
            }

            return (master, slave);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    [LibraryImport(Library, EntryPoint = "posix_openpt", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport(Library, EntryPoint = "grantpt", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport(Library, EntryPoint = "unlockpt", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport(Library, EntryPoint = "ptsname_r")]
    private static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true)]
    private static partial int open(byte* path, int flags);
}
