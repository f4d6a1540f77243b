using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <fcntl.h>
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;

    /// <summary>fcntl(2) with an int argument (F_GETFL, F_SETFL). Variadic in C; an int in the first variadic slot is
    /// passed like a fixed argument on x86-64 and on Linux arm64 (AAPCS64), so a fixed declaration is sound there.</summary>
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int fcntl(int fd, int cmd, int arg);
}
