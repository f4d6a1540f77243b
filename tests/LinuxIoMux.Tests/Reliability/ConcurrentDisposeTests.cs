using LinuxIoMux.Tests.ReactorLoop;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// Races between a thread blocked in a wait and another thread disposing: a multiplexer disposed under a wait lets
/// that wait finish and then refuses the next one (no use-after-free, no leak); a reactor or registration disposed from
/// another thread takes effect safely (no handler call after Dispose returns; the loop releases what it owns).
/// </summary>
[Trait("Category", "Load")]
public class ConcurrentDisposeTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(30);

    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    [InlineData(MultiplexerKind.IoUring)]
    public void A_multiplexer_disposed_while_another_thread_waits_lets_the_wait_finish_and_leaks_nothing(MultiplexerKind kind)
    {
        SkipUnlessAvailable(kind);
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        int cycles = ReliabilityRun.Pick(20, 500);
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            for (int cycle = 0; cycle < cycles; cycle++)
            {
                Multiplexer multiplexer = Multiplexer.Create(kind);
                multiplexer.Add(a.Fd, Interest.Readable, 1);
                int ready = -2;
                Exception? failure = null;
                using var entered = new ManualResetEventSlim();
                var waiter = new Thread(() =>
                {
                    entered.Set();
                    try
                    {
                        ready = multiplexer.Wait(new ReadyEvent[4], TimeSpan.FromMilliseconds(30));
                    }
                    catch (ObjectDisposedException)
                    {
                        ready = -1; // disposed before the wait began: refused cleanly
                    }
                    catch (Exception e)
                    {
                        failure = e;
                    }
                }) { IsBackground = true };
                waiter.Start();
                entered.Wait();
                Thread.SpinWait(cycle * 500); // vary where the dispose lands: before, at, or inside the syscall
                multiplexer.Dispose();
                Assert.True(waiter.Join(HangDetector), "hang detector: a wait did not return after its multiplexer was disposed");
                Assert.Null(failure);
                Assert.InRange(ready, -1, 0);
                Assert.Throws<ObjectDisposedException>(() => multiplexer.Wait(new ReadyEvent[4], TimeSpan.Zero));
            }
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
    }

    /// <summary>
    /// Dispose never throws (.NET's rule): from another thread while the loop waits, a registration's Dispose stops its
    /// dispatch at once and the loop removes the descriptor before its next wait; the reactor's Dispose ends Run, and
    /// the loop thread releases the epoll fd and the eventfd as Run returns.
    /// </summary>
    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    [InlineData(MultiplexerKind.IoUring)]
    public void Disposing_a_registration_or_the_reactor_from_another_thread_during_a_wait_is_safe_and_releases_on_the_loop(MultiplexerKind kind)
    {
        SkipUnlessAvailable(kind);
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            var reactor = new LinuxIoMux.Reactor(kind);
            int calls = 0;
            Registration registration = reactor.Register(a, Interest.Readable, (r, _) =>
            {
                Interlocked.Increment(ref calls);
                ((FileDescriptorHandle)r.State!).Read(new byte[64]);
            }, a);
            var loop = new Thread(() => reactor.Run()) { IsBackground = true };
            loop.Start();
            try
            {
                ReactorTestUtil.SpinUntil(() => reactor.IsRunning, "the loop started");
                b.Write("x"u8);
                ReactorTestUtil.SpinUntil(() => Volatile.Read(ref calls) == 1, "the handler ran");

                registration.Dispose(); // off the loop thread, while it waits: no exception
                Assert.False(registration.IsActive);
                b.Write("y"u8); // wakes the loop with the descriptor readable: the handler must not run
                RunOnLoop(reactor, () => { });
                RunOnLoop(reactor, () => { });
                Assert.Equal(1, Volatile.Read(ref calls));
                int registered = -1;
                RunOnLoop(reactor, () => registered = reactor.RegistrationCount);
                Assert.Equal(0, registered); // removed from the multiplexer by the loop

                reactor.Dispose(); // off the loop thread, while it runs: no exception; it ends Run
                Assert.True(loop.Join(HangDetector), "hang detector: Run did not return after Dispose");
                Assert.Throws<ObjectDisposedException>(() => reactor.Post(() => { }));
                Assert.Throws<ObjectDisposedException>(() => reactor.RunOnce(TimeSpan.Zero));
            }
            finally
            {
                reactor.Dispose();
                Assert.True(loop.Join(HangDetector), "hang detector: Run did not return");
            }

            Assert.Equal(0, reactor.RegistrationCount);
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot); // the loop thread closed the epoll fd and the eventfd
    }

    /// <summary>
    /// A registration disposed from another thread whose descriptor is closed at once and its number reused: the
    /// new descriptor can be registered on the loop straight away (the loop finishes pending removals before any
    /// Register), and only the new handler runs.
    /// </summary>
    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    [InlineData(MultiplexerKind.IoUring)]
    public void A_number_given_up_from_another_thread_can_be_registered_again_at_once(MultiplexerKind kind)
    {
        SkipUnlessAvailable(kind);
        var (a, aPeer) = SocketPair.Create();
        var (c, cPeer) = SocketPair.Create();
        Microsoft.Win32.SafeHandles.SafeFileHandle? reuser = null;
        using var reactor = new LinuxIoMux.Reactor(kind);
        int oldCalls = 0;
        int newCalls = 0;
        Registration old = reactor.Register(a, Interest.Readable, (_, _) => Interlocked.Increment(ref oldCalls));
        int number = old.Fd;
        var loop = new Thread(() => reactor.Run()) { IsBackground = true };
        loop.Start();
        try
        {
            ReactorTestUtil.SpinUntil(() => reactor.IsRunning, "the loop started");
            old.Dispose();  // from this thread, while the loop waits
            a.Dispose();    // closed at once, as callers do
            Assert.Equal(number, TestLibC.dup2(c.Fd, number)); // and the number reused at once
            reuser = new Microsoft.Win32.SafeHandles.SafeFileHandle(number, ownsHandle: true);
            Registration? added = null;
            RunOnLoop(reactor, () => added = reactor.Register(reuser, Interest.Readable, (_, _) => Interlocked.Increment(ref newCalls)));
            Assert.True(added!.IsActive);
            cPeer.Write("n"u8);
            ReactorTestUtil.SpinUntil(() => Volatile.Read(ref newCalls) > 0, "the new registration fires");
            Assert.Equal(0, Volatile.Read(ref oldCalls));
        }
        finally
        {
            reactor.Stop();
            Assert.True(loop.Join(HangDetector), "hang detector: Run did not return after Stop");
            reuser?.Dispose();
            aPeer.Dispose();
            c.Dispose();
            cPeer.Dispose();
        }
    }

    private static void RunOnLoop(LinuxIoMux.Reactor reactor, Action action)
    {
        using var done = new ManualResetEventSlim();
        reactor.Post(() =>
        {
            action();
            done.Set();
        });
        Assert.True(done.Wait(HangDetector), "hang detector: a posted action never ran");
    }

    private static void SkipUnlessAvailable(MultiplexerKind kind)
    {
        if (kind == MultiplexerKind.IoUring)
        {
            IoUringSupport.SkipUnlessAvailable();
        }
    }
}
