using LinuxIoMux.Tests.Util;
using LinuxIoMux.Timing;

namespace LinuxIoMux.Tests.Timing;

/// <summary>
/// EINTR from real signals: a wait hit by SIGWINCH every 20 ms must neither end early nor report a bogus 0.
/// Only lower bounds on time (the machine is shared); the upper bounds are hang detectors.
/// </summary>
public class InterruptionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout400 = TimeSpan.FromMilliseconds(400);

    /// <summary>Signals sent before the data is written in the infinite-wait tests: enough to interrupt many times.</summary>
    private const int SignalsBeforeWrite = 15;

    private static void AssertTimedWaitSurvivesSignals(Func<int> wait)
    {
        using var storm = new SignalStorm();
        long retriesBefore = InterruptCounter.Retries;
        (int result, TimeSpan elapsed) = storm.Run(wait, Interval, HangDetector);
        long retries = InterruptCounter.Retries - retriesBefore;

        Assert.Equal(0, result);
        Assert.True(elapsed >= Timeout400, $"a 400 ms wait returned after {elapsed.TotalMilliseconds} ms ({retries} EINTR retries)");
        Assert.True(retries > 0, $"no EINTR was retried although {storm.SignalsSent} signals were sent: the test proved nothing");
    }

    private static void AssertInfiniteWaitSurvivesSignals(Func<FileDescriptorHandle, int> waitOn)
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var storm = new SignalStorm();
            long retriesBefore = InterruptCounter.Retries;
            (int result, _) = storm.Run(() => waitOn(a), Interval, HangDetector, SignalsBeforeWrite, () => b.Write("x"u8));
            long retries = InterruptCounter.Retries - retriesBefore;

            Assert.Equal(1, result);
            Assert.True(retries > 0, $"no EINTR was retried although {storm.SignalsSent} signals were sent");
        }
    }

    [Fact]
    public void Epoll_timed_wait_lasts_its_timeout_through_signals()
    {
        using var epoll = EpollHandle.Create();
        AssertTimedWaitSurvivesSignals(() =>
        {
            Span<EpollEvent> events = stackalloc EpollEvent[4];
            return epoll.Wait(events, (int)Timeout400.TotalMilliseconds);
        });
    }

    [Fact]
    public void Epoll_timed_TimeSpan_wait_lasts_its_timeout_through_signals()
    {
        using var epoll = EpollHandle.Create();
        // Not a whole number of milliseconds: the epoll_pwait2 path (or its fallback) is the one retried.
        TimeSpan timeout = Timeout400 + TimeSpan.FromMicroseconds(500);
        AssertTimedWaitSurvivesSignals(() =>
        {
            Span<EpollEvent> events = stackalloc EpollEvent[4];
            return epoll.Wait(events, timeout);
        });
    }

    [Fact]
    public void Poll_timed_wait_lasts_its_timeout_through_signals()
    {
        using var set = new PollSet();
        AssertTimedWaitSurvivesSignals(() => set.Wait((int)Timeout400.TotalMilliseconds));
    }

    [Fact]
    public void Ppoll_timed_wait_lasts_its_timeout_through_signals()
    {
        using var set = new PollSet();
        TimeSpan timeout = Timeout400 + TimeSpan.FromMicroseconds(500);
        AssertTimedWaitSurvivesSignals(() => set.Wait(timeout));
    }

    [Fact]
    public void Select_timed_wait_lasts_its_timeout_through_signals()
    {
        AssertTimedWaitSurvivesSignals(() =>
        {
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            return LinuxIoMux.Select.Wait(ref read, ref write, ref except, Timeout400);
        });
    }

    [Fact]
    public void Epoll_infinite_wait_interrupted_many_times_returns_the_event()
    {
        using var epoll = EpollHandle.Create();
        AssertInfiniteWaitSurvivesSignals(socket =>
        {
            epoll.Add(socket, EpollEvents.In, 7);
            Span<EpollEvent> events = stackalloc EpollEvent[4];
            int ready = epoll.Wait(events, -1);
            return ready == 1 && events[0].Data == 7 && events[0].Events == EpollEvents.In ? 1 : -ready - 100;
        });
    }

    [Fact]
    public void Epoll_infinite_wait_into_a_buffer_interrupted_many_times_returns_the_event()
    {
        using var epoll = EpollHandle.Create();
        using var buffer = new EpollBuffer(4);
        AssertInfiniteWaitSurvivesSignals(socket =>
        {
            epoll.Add(socket, EpollEvents.In, 9);
            int ready = epoll.Wait(buffer, Timeout.InfiniteTimeSpan);
            return ready == 1 && buffer[0].Data == 9 ? 1 : -ready - 100;
        });
    }

    [Fact]
    public void Poll_infinite_wait_interrupted_many_times_returns_the_fd()
    {
        using var set = new PollSet();
        AssertInfiniteWaitSurvivesSignals(socket =>
        {
            set.Add(socket, PollEvents.In);
            int ready = set.Wait(-1);
            return ready == 1 && set.Entries[0].ReturnedEvents == PollEvents.In ? 1 : -ready - 100;
        });
    }

    [Fact]
    public void Select_infinite_wait_interrupted_many_times_returns_the_fd()
    {
        AssertInfiniteWaitSurvivesSignals(socket =>
        {
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(socket.Fd);
            int ready = LinuxIoMux.Select.Wait(ref read, ref write, ref except, Timeout.InfiniteTimeSpan);
            return ready == 1 && read.IsSet(socket.Fd) ? 1 : -ready - 100;
        });
    }
}
