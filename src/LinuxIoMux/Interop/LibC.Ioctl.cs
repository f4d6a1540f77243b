using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>
    /// ioctl(2) with a pointer argument. C declares it variadic; glibc's ioctl is a plain system-call stub that never
    /// walks a va_list, and the x86-64 and arm64 Linux calling conventions pass this third argument in the same
    /// register either way, so a fixed three-argument declaration is sound here.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int ioctl(int fd, nuint request, void* argument);
}
