using System.Diagnostics;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Descriptors;

/// <summary>
/// timerfd on the real kernel. Time enters the asserts only as "not before" (a kernel timer never fires early, and
/// Stopwatch reads the same CLOCK_MONOTONIC) and as hang detectors; never as "within n ms".
/// </summary>
public class TimerFdTests
{
    private static readonly TimeSpan s_due = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits (up to the hang detector) for the timer to be readable; returns how long it took.</summary>
    private static TimeSpan WaitReadable(TimerFd timer)
    {
        using var epoll = EpollHandle.Create();
        epoll.Add(timer.Handle, EpollEvents.In, data: 9);
        long start = Stopwatch.GetTimestamp();
        Assert.Equal(new EpollEvent(EpollEvents.In, 9), EpollAssert.Single(epoll));
        return Stopwatch.GetElapsedTime(start);
    }

    [Theory]
    [InlineData(TimerClock.Monotonic)]
    [InlineData(TimerClock.BootTime)]
    public void A_relative_one_shot_timer_becomes_readable_once_not_before_it_is_due(TimerClock clock)
    {
        using var timer = new TimerFd(clock);
        Assert.Equal(clock, timer.Clock);
        long armed = Stopwatch.GetTimestamp();
        timer.Set(s_due);

        WaitReadable(timer);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(armed);

        Assert.True(elapsed >= s_due - TimeSpan.FromMilliseconds(1), $"fired after {elapsed.TotalMilliseconds} ms, before it was due");
        Assert.Equal(1UL, timer.ReadExpirations());
        Assert.Equal(0UL, timer.ReadExpirations()); // read resets the count; nothing more for a one-shot
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), timer.Get());
    }

    [Fact]
    public void A_timer_not_yet_due_is_not_readable_and_reports_its_remaining_time()
    {
        using var timer = new TimerFd();
        using var epoll = EpollHandle.Create();
        epoll.Add(timer.Handle, EpollEvents.In, data: 1);
        timer.Set(TimeSpan.FromSeconds(30), interval: TimeSpan.FromSeconds(7));

        EpollAssert.NoEvents(epoll);
        Assert.Equal(0UL, timer.ReadExpirations());
        (TimeSpan remaining, TimeSpan interval) = timer.Get();
        Assert.InRange(remaining, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(7), interval);
    }

    [Fact]
    public void An_interval_timer_keeps_firing_and_counts_expirations_between_reads()
    {
        using var timer = new TimerFd();
        timer.Set(TimeSpan.FromMilliseconds(5), interval: TimeSpan.FromMilliseconds(5));
        WaitReadable(timer);
        timer.ReadExpirations();

        WaitReadable(timer); // readable again: periodic, not one-shot
        Thread.Sleep(100);   // at least 100 ms: 20 periods, so certainly more than one expiration is counted
        Assert.True(timer.ReadExpirations() >= 2, "a periodic timer counts the expirations it was not read for");
        Assert.Equal(TimeSpan.FromMilliseconds(5), timer.Get().Interval);
    }

    [Theory]
    [InlineData(TimerClock.Monotonic)]
    [InlineData(TimerClock.BootTime)]
    public void An_absolute_timer_fires_when_its_clock_reaches_the_deadline(TimerClock clock)
    {
        using var timer = new TimerFd(clock);
        TimeSpan deadline = TimerFd.Now(clock) + s_due;

        timer.SetAbsolute(deadline);
        WaitReadable(timer);

        Assert.True(TimerFd.Now(clock) >= deadline, "fired before the clock reached the deadline");
        Assert.Equal(1UL, timer.ReadExpirations());
    }

    [Fact]
    public void An_absolute_deadline_in_the_past_expires_at_once_while_a_relative_one_would_wait()
    {
        // Told apart only by TFD_TIMER_ABSTIME: an absolute 1 s on the monotonic clock is long past (the machine has
        // been up longer), a relative 1 s is still ahead.
        using var absolute = new TimerFd();
        using var relative = new TimerFd();
        absolute.SetAbsolute(TimeSpan.FromSeconds(1));
        relative.Set(TimeSpan.FromSeconds(1));
        Assert.True(TimerFd.Now(TimerClock.Monotonic) > TimeSpan.FromSeconds(1));

        using var epoll = EpollHandle.Create();
        epoll.Add(absolute.Handle, EpollEvents.In, data: 1);
        epoll.Add(relative.Handle, EpollEvents.In, data: 2);
        Assert.Equal(new EpollEvent(EpollEvents.In, 1), EpollAssert.Single(epoll));
    }

    [Fact]
    public void Disarm_stops_a_pending_timer()
    {
        using var timer = new TimerFd();
        using var epoll = EpollHandle.Create();
        epoll.Add(timer.Handle, EpollEvents.In, data: 1);
        timer.Set(TimeSpan.FromMilliseconds(20), interval: TimeSpan.FromMilliseconds(20));
        timer.Disarm();

        Assert.Empty(EpollAssert.Wait(epoll, 200));
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), timer.Get());
    }

    [Fact]
    public void Bad_arguments_are_rejected_before_the_syscall()
    {
        using var timer = new TimerFd();
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Set(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Set(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Set(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.SetAbsolute(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimerFd((TimerClock)0));   // CLOCK_REALTIME: not offered
        Assert.Throws<ArgumentOutOfRangeException>(() => TimerFd.Now((TimerClock)42));
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), timer.Get()); // nothing was armed
    }

    [Fact]
    public void Calls_after_Dispose_throw_ObjectDisposedException()
    {
        var timer = new TimerFd();
        timer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => timer.Set(TimeSpan.FromSeconds(1)));
        Assert.Throws<ObjectDisposedException>(() => timer.Get());
        Assert.Throws<ObjectDisposedException>(() => timer.ReadExpirations());
    }
}
