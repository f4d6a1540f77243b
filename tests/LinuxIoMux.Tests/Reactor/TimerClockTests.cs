using LinuxIoMux.Tests.Util;
using LinuxIoMux.Timing;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// The timer queue's rules for timers due on the same clock tick, with the reactor's clock frozen on the test thread
/// (<see cref="TestClock"/> over <see cref="MonotonicClock.Override"/>). On the real nanosecond clock two timers almost never share a due time and
/// a timer added during a pass is due after the pass's "now", so these rules are unreachable there; on a coarse
/// CLOCK_MONOTONIC (or a fast machine) they are what keeps the order and the loop honest.
/// </summary>
public class TimerClockTests
{
    public static TheoryData<MultiplexerKind> Kinds => TestClock.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Timers_due_on_the_same_tick_run_in_the_order_they_were_scheduled(MultiplexerKind kind)
    {
        using var clock = new TestClock();
        using var reactor = new LinuxIoMux.Reactor(kind);
        const int Timers = 64;
        var order = new List<int>();
        for (int i = 0; i < Timers; i++)
        {
            int index = i;
            reactor.Schedule(TimeSpan.FromMilliseconds(5), () => order.Add(index));
        }

        Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero)); // not due yet: the clock stands still
        clock.Advance(TimeSpan.FromSeconds(1)); // one second later every timer is due, all with the same due time

        Assert.Equal(Timers, reactor.RunOnce(TimeSpan.Zero));
        Assert.Equal(Enumerable.Range(0, Timers), order);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Zero_delay_timer_added_by_a_timer_on_the_same_tick_waits_for_the_next_pass(MultiplexerKind kind)
    {
        using var clock = new TestClock();
        using var reactor = new LinuxIoMux.Reactor(kind);
        int ran = 0;
        const int Chain = 5;
        void RunAndReschedule()
        {
            // Due at exactly the pass's "now": only the sequence limit keeps it out of this pass (and, were the chain
            // endless, keeps the pass from never ending).
            if (++ran < Chain)
            {
                reactor.Schedule(TimeSpan.Zero, RunAndReschedule);
            }
        }

        reactor.Schedule(TimeSpan.Zero, RunAndReschedule);
        for (int pass = 1; pass <= Chain; pass++)
        {
            Assert.Equal(1, reactor.RunOnce(TimeSpan.Zero));
            Assert.Equal(pass, ran);
        }

        Assert.Equal(0, reactor.PendingTimerCount);
    }
}
