using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>getrlimit(2) for the tests that need the current RLIMIT_NOFILE (e.g. poll's EINVAL when nfds exceeds it).</summary>
internal static unsafe partial class ResourceLimits
{
    private const int RLIMIT_NOFILE = 7; // asm-generic/resource.h; the same on x86-64 and arm64

    /// <summary>The soft limit on open descriptors (what poll compares nfds with).</summary>
    public static ulong OpenFilesSoftLimit()
    {
        ulong* limit = stackalloc ulong[2]; // struct rlimit { rlim_t rlim_cur, rlim_max; } with 64-bit rlim_t
        if (getrlimit(RLIMIT_NOFILE, limit) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return limit[0];
    }

    [LibraryImport("libc.so.6", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int getrlimit(int resource, ulong* limit);
}
