using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Timing;

/// <summary>
/// After EINTR every wait is retried with the time left, not with its whole timeout again. A 10 s wait sleeps in the
/// kernel; its clock then jumps 9.6 s forward and one signal interrupts it: the retry must sleep for the ~0.4 s that
/// remain, where a retry with the whole timeout sleeps 10 s more (so a 400 ms wait hit by a signal at 300 ms would
/// take 700 ms). The bounds are seconds apart, far beyond scheduling noise. InterruptionTests cover the other side:
/// a signal never shortens a wait.
/// </summary>
public class RetryTimeLeftTests
{
    private static readonly TimeSpan WholeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Jump = TimeSpan.FromSeconds(9.6);

    /// <summary>Real time the interrupted wait may take: the ~0.4 s left plus seconds of slack, far below 10 s.</summary>
    private static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(5);

    private static void AssertRetryUsesTheTimeLeft<T>(Func<T> wait, T timedOut)
    {
        (T result, TimeSpan elapsed, long retries) = ClockJumpWaiter.Run(wait, Jump);

        Assert.True(retries > 0, "no EINTR was retried: the signal did not interrupt the wait, so the test proved nothing");
        Assert.True(elapsed < Ceiling,
            $"the wait took {elapsed.TotalSeconds:F2} s after its clock reached the last {(WholeTimeout - Jump).TotalSeconds} s: " +
            "the EINTR retry was handed the whole timeout again instead of the time left");
        // The retry must not give up early either: on the jumped clock the whole timeout has to pass.
        Assert.True(elapsed >= WholeTimeout - Jump, $"the wait returned after {elapsed.TotalSeconds:F2} s, before its deadline");
        Assert.Equal(timedOut, result);
    }

    [Fact]
    public void Epoll_wait_retries_with_the_time_left()
    {
        using var epoll = EpollHandle.Create();
        AssertRetryUsesTheTimeLeft(() => epoll.Wait(new EpollEvent[4], (int)WholeTimeout.TotalMilliseconds), 0);
    }

    [Fact]
    public void Epoll_pwait2_retries_with_the_time_left()
    {
        using var epoll = EpollHandle.Create();
        // Not a whole number of milliseconds: epoll_pwait2 (or its epoll_wait fallback on old kernels).
        AssertRetryUsesTheTimeLeft(() => epoll.Wait(new EpollEvent[4], WholeTimeout + TimeSpan.FromMicroseconds(500)), 0);
    }

    [Fact]
    public void Epoll_wait_into_a_buffer_retries_with_the_time_left()
    {
        using var epoll = EpollHandle.Create();
        using var buffer = new EpollBuffer(4);
        AssertRetryUsesTheTimeLeft(() => epoll.Wait(buffer, (int)WholeTimeout.TotalMilliseconds), 0);
    }

    [Fact]
    public void Poll_retries_with_the_time_left()
    {
        using var set = new PollSet();
        AssertRetryUsesTheTimeLeft(() => set.Wait((int)WholeTimeout.TotalMilliseconds), 0);
    }

    [Fact]
    public void Ppoll_retries_with_the_time_left()
    {
        using var set = new PollSet();
        AssertRetryUsesTheTimeLeft(() => set.Wait(WholeTimeout + TimeSpan.FromMicroseconds(500)), 0);
    }

    [Fact]
    public void Select_retries_with_the_time_left()
    {
        AssertRetryUsesTheTimeLeft(() =>
        {
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            return LinuxIoMux.Select.Wait(ref read, ref write, ref except, WholeTimeout);
        }, 0);
    }

    [Fact]
    public void Select_whose_deadline_passed_while_interrupted_returns_empty_sets()
    {
        // The clock jumps past the deadline, so the EINTR ends the wait without a retry: the kernel never rewrote the
        // sets, which still hold the request. select reports a timeout with empty sets, and callers test IsSet on
        // them: a descriptor left set would read as ready although nothing is.
        var (idle, peer) = SocketPair.Create();
        using (idle)
        using (peer)
        {
            (var outcome, TimeSpan elapsed, long retries) = ClockJumpWaiter.Run(() =>
            {
                var read = new FdSet();
                var write = new FdSet();
                var except = new FdSet();
                read.Set(idle.Fd);
                except.Set(idle.Fd);
                int ready = LinuxIoMux.Select.Wait(ref read, ref write, ref except, WholeTimeout);
                return (ready, readCount: read.Count, exceptCount: except.Count, readSet: read.IsSet(idle.Fd));
            }, WholeTimeout * 2);

            Assert.True(retries > 0, "no EINTR was seen: the signal did not interrupt the wait, so the test proved nothing");
            Assert.True(elapsed < Ceiling, $"the wait took {elapsed.TotalSeconds:F2} s although its deadline had passed");
            Assert.Equal(0, outcome.ready);
            Assert.False(outcome.readSet, "select timed out but left the idle fd in the read set: callers would read it as ready");
            Assert.Equal((0, 0), (outcome.readCount, outcome.exceptCount));
        }
    }

    [Theory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    public void Reactor_wait_for_its_timer_retries_with_the_time_left(MultiplexerKind kind)
    {
        // The loop's wait is bounded by a 10 s timer; after the jump and the signal the timer is due within ~0.4 s.
        AssertRetryUsesTheTimeLeft(() =>
        {
            using var reactor = new LinuxIoMux.Reactor(kind);
            bool fired = false;
            reactor.Schedule(WholeTimeout, () => fired = true);
            int callbacks = reactor.RunOnce(Timeout.InfiniteTimeSpan);
            return (callbacks, fired);
        }, (1, true));
    }
}
