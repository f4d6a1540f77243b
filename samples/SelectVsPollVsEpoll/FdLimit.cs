using System.Runtime.InteropServices;
using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// The process's RLIMIT_NOFILE (getrlimit(2), setrlimit(2)): how many descriptors it may have open, and raising the
/// soft limit up to the hard one when a size needs more descriptors than the default allows.
/// </summary>
/// <remarks>
/// An unprivileged process may raise its soft limit up to the hard limit, never beyond; the hard limit is set by
/// the parent (<c>ulimit -Hn</c>, systemd's <c>LimitNOFILE</c>, /etc/security/limits.conf). Many distributions start
/// shells with a soft limit of 1024, fewer than the 2000 descriptors the default n = 1000 needs. On this machine the
/// .NET runtime already starts the process with soft = hard (a shell's <c>ulimit -Sn 1024</c> did not show up in the
/// process), so the raise here is a fallback for hosts that do not do that; the hard limit is what decides.
/// </remarks>
internal static unsafe partial class FdLimit
{
    /// <summary>RLIMIT_NOFILE from asm-generic/resource.h: 7 on x86-64 and arm64 (alpha, mips and sparc differ).</summary>
    private const int RLIMIT_NOFILE = 7;

    /// <summary>RLIM_INFINITY: (rlim_t)-1 on 64-bit Linux.</summary>
    private const ulong Unlimited = ulong.MaxValue;

    /// <summary>Reads the soft and hard limits.</summary>
    /// <exception cref="UnixException">getrlimit failed (it does not, for RLIMIT_NOFILE, short of a kernel bug).</exception>
    internal static (ulong Soft, ulong Hard) Read()
    {
        RLimit limit;
        // SAFETY: limit is a local of the kernel's struct rlimit layout (two 64-bit words).
        if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        {
            throw new UnixException((Errno)Marshal.GetLastPInvokeError(), "getrlimit(RLIMIT_NOFILE)");
        }

        return (limit.Current, limit.Maximum);
    }

    /// <summary>
    /// Makes the soft limit at least <paramref name="needed"/>, raising it (never lowering it) if the hard limit allows.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> if the soft limit now covers <paramref name="needed"/>; <see langword="false"/> if the
    /// hard limit is below it (nothing is changed then).
    /// </returns>
    /// <exception cref="UnixException">setrlimit refused (e.g. EPERM from a security module).</exception>
    internal static bool TryEnsureSoftLimit(ulong needed, out ulong previousSoft)
    {
        (ulong soft, ulong hard) = Read();
        previousSoft = soft;
        if (soft == Unlimited || soft >= needed)
        {
            return true;
        }

        if (hard != Unlimited && hard < needed)
        {
            return false;
        }

        RLimit raised = new() { Current = needed, Maximum = hard };
        // SAFETY: raised is a local of the kernel's struct rlimit layout; setrlimit only reads it.
        if (setrlimit(RLIMIT_NOFILE, &raised) != 0)
        {
            throw new UnixException((Errno)Marshal.GetLastPInvokeError(), $"setrlimit(RLIMIT_NOFILE, soft={needed}, hard={hard})");
        }

        return true;
    }

    /// <summary>A limit as people write it: a number, or "unlimited" for RLIM_INFINITY.</summary>
    internal static string Format(ulong limit) => limit == Unlimited ? "unlimited" : limit.ToString("#,0");

    /// <summary>Descriptors open in this process right now (entries of /proc/self/fd, minus the one listing it).</summary>
    internal static int CountOpenDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length - 1;

    /// <summary><c>struct rlimit</c>: two <c>rlim_t</c> (unsigned long) on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc.so.6", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int getrlimit(int resource, RLimit* limit);

    [LibraryImport("libc.so.6", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int setrlimit(int resource, RLimit* limit);
}
