namespace LinuxIoMux.IoUring;

/// <summary>
/// Whether this process can create an io_uring ring, found by creating (and closing) a tiny one once: the only test
/// that sees every cause at once (the sysctl, a seccomp filter, a missing syscall, a kernel too old).
/// </summary>
internal static class IoUringAvailability
{
    private static readonly object s_gate = new();
    private static bool s_probed;
    private static string? s_reason;

    /// <summary>True when an io_uring multiplexer can be created here.</summary>
    internal static bool IsSupported => UnavailableReason is null;

    /// <summary>Null when io_uring works here; otherwise what stops it and what to do (the exception message).</summary>
    internal static string? UnavailableReason
    {
        get
        {
            lock (s_gate)
            {
                if (!s_probed)
                {
                    try
                    {
                        IoUringRing.Create(2, 4).Dispose();
                        s_reason = null;
                        s_probed = true;
                    }
                    catch (PlatformNotSupportedException e)
                    {
                        s_reason = e.Message;
                        s_probed = true; // a property of the kernel and this process's filter: it does not change
                    }
                    catch (UnixException e)
                    {
                        return e.Message; // EMFILE, ENOMEM: transient, so not remembered
                    }
                }

                return s_reason;
            }
        }
    }
}
