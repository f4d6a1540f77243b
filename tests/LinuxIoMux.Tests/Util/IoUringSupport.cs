using LinuxIoMux.IoUring;

namespace LinuxIoMux.Tests.Util;

/// <summary>Skips a test that needs io_uring where this process cannot create a ring, naming why (the library's own reason).</summary>
internal static class IoUringSupport
{
    /// <summary>Throws xunit's skip unless io_uring works here; the reason is the exception message a user would get.</summary>
    public static void SkipUnlessAvailable()
    {
        string? reason = IoUringAvailability.UnavailableReason;
        Skip.If(reason is not null, $"io_uring is not available here: {reason}");
    }
}
