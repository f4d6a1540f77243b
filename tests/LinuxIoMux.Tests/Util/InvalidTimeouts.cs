namespace LinuxIoMux.Tests.Util;

/// <summary>
/// TimeSpans every wait (epoll, poll, select: they share one validation) must reject with
/// ArgumentOutOfRangeException: negative values other than Timeout.InfiniteTimeSpan, and anything beyond the kernel's
/// int milliseconds.
/// </summary>
public static class InvalidTimeouts
{
    public static TheoryData<TimeSpan> TimeSpans => new()
    {
        TimeSpan.FromTicks(-1),
        TimeSpan.FromMilliseconds(-2),
        TimeSpan.FromMilliseconds(-1) + TimeSpan.FromTicks(1), // just above InfiniteTimeSpan
        TimeSpan.FromMilliseconds(-1) - TimeSpan.FromTicks(1), // just below it
        TimeSpan.FromSeconds(-1),
        TimeSpan.MinValue,
        TimeSpan.FromMilliseconds(int.MaxValue) + TimeSpan.FromTicks(1),
        TimeSpan.FromMilliseconds(int.MaxValue + 1.0),
        TimeSpan.FromDays(30),
        TimeSpan.MaxValue,
    };
}
