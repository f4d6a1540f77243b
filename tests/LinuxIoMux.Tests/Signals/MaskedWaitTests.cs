using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using LinuxIoMux.Tests.Util;
using LinuxIoMux.Timing;

namespace LinuxIoMux.Tests.Signals;

/// <summary>
/// epoll_pwait/epoll_pwait2, ppoll and pselect6 apply their mask during the wait and only then. The proof: SIGWINCH
/// (caught through a PosixSignalRegistration, so it interrupts) is blocked on the thread and sent to it, so it is
/// pending. A wait without a mask leaves it pending. A wait whose mask leaves SIGWINCH out lets the kernel deliver it
/// inside the wait: afterwards it is no longer pending, the wait saw EINTR (and retried it for the rest of its
/// timeout), and the thread's own mask, with SIGWINCH blocked, is back.
/// </summary>
[SupportedOSPlatform("linux")]
public class MaskedWaitTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(200);

    private static void AssertMaskAppliesOnlyDuringTheWait(Func<SignalSet, int> maskedWait, Func<int> plainWait) => SignalThread.Run(() =>
    {
        using var caught = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => context.Cancel = true);
        SignalSet before = ThreadSignalMask.Block(SignalSet.Of(UnixSignal.SIGWINCH));
        try
        {
            SignalThread.SendToCurrentThread(UnixSignal.SIGWINCH);
            Assert.Equal(0, plainWait());
            Assert.True(SignalThread.Pending().Contains(UnixSignal.SIGWINCH), "a wait without a mask must leave the blocked signal pending");

            SignalSet mask = ThreadSignalMask.Get();
            mask.Remove(UnixSignal.SIGWINCH);
            long retriesBefore = InterruptCounter.Retries;
            long start = Stopwatch.GetTimestamp();
            int result = maskedWait(mask);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);

            Assert.Equal(0, result);
            Assert.False(SignalThread.Pending().Contains(UnixSignal.SIGWINCH), "the mask was not applied: SIGWINCH is still pending");
            Assert.True(InterruptCounter.Retries > retriesBefore, "the delivered signal should have interrupted the wait (EINTR, retried)");
            Assert.True(elapsed >= s_timeout - TimeSpan.FromMilliseconds(1), $"the interrupted wait returned after {elapsed.TotalMilliseconds} ms, before its timeout");
            Assert.True(ThreadSignalMask.Get().Contains(UnixSignal.SIGWINCH), "the thread's own mask must be back after the wait");
        }
        finally
        {
            using (var drain = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH)))
            {
                drain.TryRead(out _);
            }

            ThreadSignalMask.Set(before);
        }
    });

    [Fact]
    public void Epoll_pwait_delivers_a_blocked_signal_only_through_its_mask()
    {
        using var epoll = EpollHandle.Create();
        var events = new EpollEvent[4];
        AssertMaskAppliesOnlyDuringTheWait(
            mask => epoll.Wait(events, (int)s_timeout.TotalMilliseconds, mask),
            () => epoll.Wait(events, 20));
    }

    [Fact]
    public void Epoll_pwait2_with_a_sub_millisecond_timeout_delivers_a_blocked_signal_only_through_its_mask()
    {
        using var epoll = EpollHandle.Create();
        var events = new EpollEvent[4];
        AssertMaskAppliesOnlyDuringTheWait(
            mask => epoll.Wait(events, s_timeout + TimeSpan.FromMicroseconds(300), mask),
            () => epoll.Wait(events, TimeSpan.FromMicroseconds(20_300)));
    }

    [Fact]
    public void Epoll_masked_wait_into_a_buffer_delivers_a_blocked_signal_only_through_its_mask()
    {
        using var epoll = EpollHandle.Create();
        using var buffer = new EpollBuffer(4);
        AssertMaskAppliesOnlyDuringTheWait(mask => epoll.Wait(buffer, s_timeout, mask), () => epoll.Wait(buffer, 20));
    }

    [Fact]
    public void Ppoll_delivers_a_blocked_signal_only_through_its_mask()
    {
        using var set = new PollSet();
        AssertMaskAppliesOnlyDuringTheWait(mask => set.Wait((int)s_timeout.TotalMilliseconds, mask), () => set.Wait(20));
    }

    [Fact]
    public void Pselect6_delivers_a_blocked_signal_only_through_its_mask()
    {
        AssertMaskAppliesOnlyDuringTheWait(mask =>
        {
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            return LinuxIoMux.Select.Wait(ref read, ref write, ref except, s_timeout, mask);
        }, () =>
        {
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            return LinuxIoMux.Select.Wait(ref read, ref write, ref except, 20);
        });
    }

    [Fact]
    public void Masked_waits_still_report_ready_descriptors()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            b.Write("x"u8);
            SignalSet mask = SignalSet.Of(UnixSignal.SIGWINCH);

            using var epoll = EpollHandle.Create();
            epoll.Add(a, EpollEvents.In, 3);
            var events = new EpollEvent[4];
            Assert.Equal(1, epoll.Wait(events, 1000, mask));
            Assert.Equal(new EpollEvent(EpollEvents.In, 3), events[0]);

            using var set = new PollSet();
            set.Add(a, PollEvents.In);
            Assert.Equal(1, set.Wait(Timeout.InfiniteTimeSpan, mask));
            Assert.Equal(PollEvents.In, set.Entries[0].ReturnedEvents);

            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(a.Fd);
            Assert.Equal(1, LinuxIoMux.Select.Wait(ref read, ref write, ref except, -1, mask));
            Assert.True(read.IsSet(a.Fd));
        }
    }

    [Fact]
    public void A_mask_that_blocks_a_signal_holds_it_off_until_the_wait_returns() => SignalThread.Run(() =>
    {
        // The other direction: the thread does not block SIGWINCH, the wait's mask does. A signal sent during the
        // wait stays pending (no EINTR) and is delivered when the thread's own mask comes back.
        using var caught = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => context.Cancel = true);
        Assert.False(ThreadSignalMask.Get().Contains(UnixSignal.SIGWINCH));
        using var epoll = EpollHandle.Create();
        var events = new EpollEvent[4];
        int tid = TestLibC.gettid();
        long retriesBefore = InterruptCounter.Retries;
        using var sender = new Timer(_ => TestLibC.tgkill(TestLibC.getpid(), tid, (int)UnixSignal.SIGWINCH), null, 50, Timeout.Infinite);

        int ready = epoll.Wait(events, (int)s_timeout.TotalMilliseconds, SignalSet.Of(UnixSignal.SIGWINCH));

        Assert.Equal(0, ready);
        Assert.Equal(retriesBefore, InterruptCounter.Retries);
        Assert.False(SignalThread.Pending().Contains(UnixSignal.SIGWINCH), "delivered once the wait restored the unblocked mask");
    });
}
