using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    /// <summary>RLIMIT_NOFILE from &lt;sys/resource.h&gt;: one more than the highest fd number open() may return.</summary>
    internal const int RLIMIT_NOFILE = 7;

    /// <summary>RLIM_INFINITY: all bits set in the 64-bit rlim_t.</summary>
    internal const ulong RLIM_INFINITY = ulong.MaxValue;

    /// <summary>getrlimit(2).</summary>
    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int getrlimit(int resource, Rlimit* limit);

    /// <summary>setrlimit(2).</summary>
    [LibraryImport(Library, EntryPoint = "setrlimit", SetLastError = true)]
    internal static partial int setrlimit(int resource, Rlimit* limit);
}
