using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <sys/eventfd.h>
    internal const int EFD_SEMAPHORE = 0x1;
    internal const int EFD_NONBLOCK = 0x800;   // == O_NONBLOCK (octal 04000)
    internal const int EFD_CLOEXEC = 0x80000;  // == O_CLOEXEC (octal 02000000)

    /// <summary>eventfd(2).</summary>
    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);
}
