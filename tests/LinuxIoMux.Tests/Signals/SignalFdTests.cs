using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Signals;

/// <summary>
/// signalfd on the real kernel. Every test runs on its own thread (SignalThread) and sends its signals to that thread
/// with tgkill, so nothing reaches the runtime's handlers. SIGWINCH and SIGCONT are used because their default actions
/// are harmless: if a test were wrong about blocking, the signal would be ignored, not kill the test host.
/// </summary>
public class SignalFdTests
{
    private const int SI_TKILL = -6; // <asm-generic/siginfo.h>: sent by tkill/tgkill

    [Fact]
    public void The_constructor_blocks_the_signals_on_the_calling_thread_only() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Get();
        Assert.False(before.Contains(UnixSignal.SIGWINCH));
        using (var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH)))
        {
            Assert.True(ThreadSignalMask.Get().Contains(UnixSignal.SIGWINCH));
            Assert.Equal(SignalSet.Of(UnixSignal.SIGWINCH), signals.Signals);

            SignalSet otherThread = default;
            var other = new Thread(() => otherThread = ThreadSignalMask.Get());
            other.Start();
            other.Join();
            Assert.True(otherThread.Contains(UnixSignal.SIGWINCH), "a thread started afterwards inherits the mask");
        }

        Assert.True(ThreadSignalMask.Get().Contains(UnixSignal.SIGWINCH), "Dispose leaves the mask as it is (documented)");
        ThreadSignalMask.Set(before);
    });

    [Fact]
    public void A_signal_sent_to_the_thread_makes_it_readable_and_reads_back_with_its_sender() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Get();
        using var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH, UnixSignal.SIGCONT));
        using var epoll = EpollHandle.Create();
        epoll.Add(signals.Handle, EpollEvents.In, data: 5);
        EpollAssert.NoEvents(epoll);
        Assert.False(signals.TryRead(out _));

        SignalThread.SendToCurrentThread(UnixSignal.SIGWINCH);

        Assert.Equal(new EpollEvent(EpollEvents.In, 5), EpollAssert.Single(epoll));
        Assert.True(signals.TryRead(out SignalInfo info));
        Assert.Equal(UnixSignal.SIGWINCH, info.Signal);
        Assert.Equal(TestLibC.getpid(), info.ProcessId);
        Assert.Equal(TestLibC.getuid(), info.UserId);
        Assert.Equal(SI_TKILL, info.Code);
        Assert.False(signals.TryRead(out _), "one signal, one read");
        EpollAssert.NoEvents(epoll);
        Assert.False(SignalThread.Pending().Contains(UnixSignal.SIGWINCH), "reading consumed the pending signal");
        ThreadSignalMask.Set(before);
    });

    [Fact]
    public void Standard_signals_coalesce_and_each_signal_of_the_set_is_read_once() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Get();
        using var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH, UnixSignal.SIGCONT));
        SignalThread.SendToCurrentThread(UnixSignal.SIGWINCH);
        SignalThread.SendToCurrentThread(UnixSignal.SIGWINCH);
        SignalThread.SendToCurrentThread(UnixSignal.SIGCONT);

        var read = new List<UnixSignal>();
        while (signals.TryRead(out SignalInfo info))
        {
            read.Add(info.Signal);
        }

        // The kernel dequeues the lowest-numbered pending signal first.
        Assert.Equal([UnixSignal.SIGCONT, UnixSignal.SIGWINCH], read);
        ThreadSignalMask.Set(before);
    });

    [Fact]
    public void A_signal_outside_the_set_does_not_make_it_readable() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Block(SignalSet.Of(UnixSignal.SIGCONT)); // pending, but not ours
        using var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH));
        using var epoll = EpollHandle.Create();
        epoll.Add(signals.Handle, EpollEvents.In, data: 1);

        SignalThread.SendToCurrentThread(UnixSignal.SIGCONT);

        EpollAssert.NoEvents(epoll);
        Assert.True(SignalThread.Pending().Contains(UnixSignal.SIGCONT));
        using (var drain = new SignalFd(SignalSet.Of(UnixSignal.SIGCONT)))
        {
            Assert.True(drain.TryRead(out _));
        }

        ThreadSignalMask.Set(before);
    });

    [Fact]
    public void A_reactor_handles_the_signal_as_readiness_on_its_loop_thread() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Get();
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        using var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH));
        UnixSignal? received = null;
        reactor.Register(signals.Handle, Interest.Readable, (registration, readiness) =>
        {
            while (signals.TryRead(out SignalInfo info))
            {
                received = info.Signal;
            }

            reactor.Stop();
        });
        reactor.Schedule(TimeSpan.FromMilliseconds(10), () => SignalThread.SendToCurrentThread(UnixSignal.SIGWINCH));

        using var hangDetector = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        reactor.Run(hangDetector.Token);

        Assert.False(hangDetector.IsCancellationRequested, "the loop did not see the signal");
        Assert.Equal(UnixSignal.SIGWINCH, received);
        ThreadSignalMask.Set(before);
    });

    [Fact]
    public void An_empty_set_is_rejected_before_any_syscall_and_leaves_the_mask_alone() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Get();
        int descriptors = OpenDescriptors.Count();
        var error = Assert.Throws<ArgumentException>(() => new SignalFd(SignalSet.Empty));
        Assert.Contains("signalfd", error.Message);
        Assert.Equal(before, ThreadSignalMask.Get());
        Assert.Equal(descriptors, OpenDescriptors.Count());
    });

    [Fact]
    public void Dispose_closes_the_descriptor()
    {
        SignalThread.Run(() =>
        {
            SignalSet before = ThreadSignalMask.Get();
            var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH));
            int fd = signals.Handle.Fd;
            Assert.True(OpenDescriptors.IsOpen(fd));
            signals.Dispose();
            Assert.Throws<ObjectDisposedException>(() => signals.TryRead(out _));
            ThreadSignalMask.Set(before);
        });
    }
}
