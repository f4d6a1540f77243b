namespace LinuxIoMux.IoUring;

/// <summary>
/// Turns io_uring_setup's EPERM or ENOSYS into a message that says which of the three usual causes applies here and
/// what to do about it: the kernel.io_uring_disabled sysctl (Linux 6.6), a seccomp filter (Docker's and
/// containerd's default profiles block the io_uring syscalls), or a kernel without io_uring.
/// </summary>
internal static class IoUringUnavailable
{
    /// <summary>The sysctl that disables io_uring system-wide (2) or for all but one group (1), Linux 6.6.</summary>
    internal const string DisabledSysctlPath = "/proc/sys/kernel/io_uring_disabled";

    /// <summary>The group that may still use io_uring when the sysctl is 1.</summary>
    internal const string GroupSysctlPath = "/proc/sys/kernel/io_uring_group";

    private const string Fallback = "Use MultiplexerKind.Epoll instead (Multiplexer.IsSupported(MultiplexerKind.IoUring) tells in advance).";

    /// <summary>Explains <paramref name="errno"/> from io_uring_setup on this machine.</summary>
    internal static string Explain(Errno errno) => Explain(errno, ReadSysctl(DisabledSysctlPath), ReadSysctl(GroupSysctlPath));

    /// <summary>Explains <paramref name="errno"/> given the two sysctl values (null when the file does not exist).</summary>
    internal static string Explain(Errno errno, string? disabled, string? group)
    {
        if (errno == Errno.ENOSYS)
        {
            return "io_uring is missing: io_uring_setup failed with ENOSYS. Either the kernel has no io_uring (older than " +
                "Linux 5.1, or built without CONFIG_IO_URING), or a seccomp filter answers ENOSYS for it (gVisor and some " +
                "container runtimes do). In a container, allow io_uring_setup, io_uring_enter and io_uring_register in its " +
                "seccomp profile (Docker: --security-opt seccomp=<profile.json>). " + Fallback;
        }

        switch (disabled)
        {
            case "2":
                return "io_uring is disabled on this machine: io_uring_setup failed with EPERM and kernel.io_uring_disabled = 2 " +
                    $"({DisabledSysctlPath}). An administrator can enable it with `sysctl -w kernel.io_uring_disabled=0`. " + Fallback;
            case "1":
                return "io_uring is restricted on this machine: io_uring_setup failed with EPERM and kernel.io_uring_disabled = 1, " +
                    $"so only members of the group kernel.io_uring_group (gid {group ?? "?"}) and processes with CAP_SYS_ADMIN may " +
                    "create rings. Run as a member of that group, or have an administrator set kernel.io_uring_disabled=0. " + Fallback;
            default:
                return "io_uring is blocked for this process: io_uring_setup failed with EPERM although " +
                    $"kernel.io_uring_disabled is {disabled ?? "absent (kernel before 6.6)"}, which is what a seccomp filter does. " +
                    "Docker's and containerd's default seccomp profiles block io_uring: run the container with " +
                    "--security-opt seccomp=<a profile that allows io_uring_setup, io_uring_enter and io_uring_register> " +
                    "(or, for a trusted workload, seccomp=unconfined). " + Fallback;
        }
    }

    private static string? ReadSysctl(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
