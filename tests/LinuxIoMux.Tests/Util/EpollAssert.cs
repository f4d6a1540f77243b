using System.Diagnostics;

namespace LinuxIoMux.Tests.Util;

/// <summary>Small wait-and-check helpers for the epoll tests (mio's <c>expect_events</c>, in xunit).</summary>
internal static class EpollAssert
{
    /// <summary>
    /// Bound for a wait that must return because something is (about to be) ready. A level-triggered wait returns as
    /// soon as the fd is ready, so this only ever elapses when the test has already failed: a hang detector.
    /// </summary>
    public const int HangDetectorMilliseconds = 10_000;

    /// <summary>One wait through the Span overload; returns the ready events as an array.</summary>
    public static EpollEvent[] Wait(EpollHandle epoll, int timeoutMilliseconds, int capacity = 16)
    {
        var events = new EpollEvent[capacity];
        int ready = epoll.Wait(events, timeoutMilliseconds);
        return events[..ready];
    }

    /// <summary>Waits (up to the hang detector) and asserts that exactly one event is reported.</summary>
    public static EpollEvent Single(EpollHandle epoll)
    {
        EpollEvent[] events = Wait(epoll, HangDetectorMilliseconds);
        return Assert.Single(events);
    }

    /// <summary>Asserts that a zero-timeout wait reports nothing.</summary>
    public static void NoEvents(EpollHandle epoll)
    {
        EpollEvent[] events = Wait(epoll, 0);
        Assert.True(events.Length == 0, $"expected no events, got: {string.Join(", ", events)}");
    }

    /// <summary>
    /// Waits until the fd registered with <paramref name="data"/> reports every bit of <paramref name="expected"/>
    /// (for conditions the network stack delivers asynchronously, such as a reset); returns all bits it reported.
    /// </summary>
    public static EpollEvents WaitFor(EpollHandle epoll, ulong data, EpollEvents expected)
    {
        var clock = Stopwatch.StartNew();
        EpollEvents seen = EpollEvents.None;
        while (clock.ElapsedMilliseconds < HangDetectorMilliseconds)
        {
            int left = (int)Math.Max(1, HangDetectorMilliseconds - clock.ElapsedMilliseconds);
            foreach (EpollEvent e in Wait(epoll, left))
            {
                if (e.Data == data)
                {
                    seen = e.Events;
                }
            }

            if ((seen & expected) == expected)
            {
                return seen;
            }

            Thread.Sleep(1); // level-triggered: the fd may be ready with other bits while the expected ones are on the way
        }

        Assert.Fail($"data {data:x} never reported {expected}; last seen: {seen}");
        return seen;
    }
}
