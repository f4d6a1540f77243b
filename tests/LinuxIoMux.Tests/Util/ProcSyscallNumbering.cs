using System.Globalization;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Which syscall numbering <c>/proc/TID/syscall</c> uses: the kernel's, not the process's. An arm64 process under
/// qemu-user on an x86-64 kernel sleeps in the host's syscalls (epoll_pwait is 281 there, not arm64's 22).
/// </summary>
internal static class ProcSyscallNumbering
{
    private static readonly Lazy<bool> s_arm64 = new(() =>
    {
        // Reading our own syscall file shows that read in progress: read is 0 and pread64 17 in x86-64's numbering,
        // 63 and 67 in arm64's. Anything else: trust the process architecture.
        string own = File.ReadAllText("/proc/thread-self/syscall");
        return int.Parse(own.Split(' ')[0], CultureInfo.InvariantCulture) switch
        {
            0 or 17 => false,
            63 or 67 => true,
            _ => RuntimeInformation.ProcessArchitecture == Architecture.Arm64,
        };
    });

    /// <summary>True when /proc reports arm64's syscall numbers (a native arm64 kernel).</summary>
    public static bool IsArm64 => s_arm64.Value;
}
