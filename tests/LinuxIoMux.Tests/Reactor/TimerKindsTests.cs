using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// Timers with state and periodic timers (issue 10), with the reactor's clock driven by the test thread
/// (<see cref="TestClock"/>), so "one period later" is exact and no assert depends on scheduling.
/// </summary>
public class TimerKindsTests
{
    public static TheoryData<MultiplexerKind> Kinds => TestClock.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Periodic_timer_runs_once_per_period_skips_missed_runs_and_stops_when_cancelled(MultiplexerKind kind)
    {
        using var clock = new TestClock();
        using var reactor = new LinuxIoMux.Reactor(kind);
        int runs = 0;
        ReactorTimer timer = reactor.SchedulePeriodic(TimeSpan.FromMilliseconds(10), () => runs++);
        Assert.True(timer.IsPeriodic);

        Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero)); // not due before one period
        clock.AdvanceMilliseconds(10);
        Assert.Equal(1, reactor.RunOnce(TimeSpan.Zero));
        Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero)); // the next run is one period away again
        clock.AdvanceMilliseconds(10);
        Assert.Equal(1, reactor.RunOnce(TimeSpan.Zero));
        Assert.True(timer.IsPending);

        clock.AdvanceMilliseconds(35); // the loop fell three periods behind: one run now, not a burst of three
        Assert.Equal(1, reactor.RunOnce(TimeSpan.Zero));
        Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero));
        clock.AdvanceMilliseconds(9);
        Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero)); // due one period after that late run
        clock.AdvanceMilliseconds(1);
        Assert.Equal(1, reactor.RunOnce(TimeSpan.Zero));
        Assert.Equal(4, runs);

        Assert.True(timer.Cancel());
        Assert.False(timer.IsPending);
        clock.AdvanceMilliseconds(100);
        Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero));
        Assert.Equal(0, reactor.PendingTimerCount);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Periodic_timer_cancelled_from_its_own_callback_does_not_run_again(MultiplexerKind kind)
    {
        using var clock = new TestClock();
        using var reactor = new LinuxIoMux.Reactor(kind);
        int runs = 0;
        ReactorTimer? timer = null;
        timer = reactor.SchedulePeriodic(TimeSpan.FromMilliseconds(1), () =>
        {
            if (++runs == 3)
            {
                Assert.True(timer!.Cancel()); // cancelling a periodic timer while it runs succeeds
            }
        });
        for (int i = 0; i < 10; i++)
        {
            clock.AdvanceMilliseconds(1);
            reactor.RunOnce(TimeSpan.Zero);
        }

        Assert.Equal(3, runs);
        Assert.True(timer.IsCancelled);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Timers_with_state_get_their_state_and_allocate_no_closure(MultiplexerKind kind)
    {
        using var clock = new TestClock();
        using var reactor = new LinuxIoMux.Reactor(kind);
        var seen = new List<string>();
        reactor.Schedule(TimeSpan.FromMilliseconds(1), static list => list.Add("once"), seen);
        ReactorTimer periodic = reactor.SchedulePeriodic(TimeSpan.FromMilliseconds(1), static list => list.Add("tick"), seen);
        clock.AdvanceMilliseconds(1);
        Assert.Equal(2, reactor.RunOnce(TimeSpan.Zero));
        clock.AdvanceMilliseconds(1);
        Assert.Equal(1, reactor.RunOnce(TimeSpan.Zero));
        Assert.Equal(["once", "tick", "tick"], seen);

        // Steady state of a periodic timer with state: no allocation per run (the heap reuses its array).
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            clock.AdvanceMilliseconds(1);
            reactor.RunOnce(TimeSpan.Zero);
            seen.Clear();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        periodic.Cancel();
        Assert.True(allocated < 1_000, $"{allocated} bytes for 1,000 periodic runs");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_period_of_zero_or_less_is_refused(MultiplexerKind kind)
    {
        using var reactor = new LinuxIoMux.Reactor(kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => reactor.SchedulePeriodic(TimeSpan.Zero, static () => { }));
        Assert.Throws<ArgumentOutOfRangeException>(() => reactor.SchedulePeriodic(TimeSpan.FromMilliseconds(-1), static () => { }));
        Assert.Equal(0, reactor.PendingTimerCount);
    }
}
