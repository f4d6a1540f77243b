using LinuxIoMux.Tests.ReactorLoop;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// Races between a thread blocked in a wait and another thread disposing: a multiplexer disposed under a wait lets
/// that wait finish and then refuses the next one (no use-after-free, no leak); a reactor or registration disposed from
/// the wrong thread is refused without harm, and the supported route (Post) takes effect at once.
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

    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    [InlineData(MultiplexerKind.IoUring)]
    public void Disposing_a_registration_or_the_reactor_from_another_thread_during_a_wait_is_refused_and_Post_does_it(MultiplexerKind kind)
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
                Thread.Sleep(50); // blocked in its infinite wait by now

                Assert.Throws<InvalidOperationException>(registration.Dispose);
                Assert.Throws<InvalidOperationException>(reactor.Dispose);
                Assert.True(registration.IsActive);

                // The loop is unharmed: it still dispatches.
                b.Write("x"u8);
                ReactorTestUtil.SpinUntil(() => Volatile.Read(ref calls) == 1, "the handler ran after the refused disposals");

                // The supported route: Post the disposal. After it runs, readiness no longer reaches the handler.
                RunOnLoop(reactor, registration.Dispose);
                Assert.False(registration.IsActive);
                b.Write("y"u8);
                RunOnLoop(reactor, () => { }); // one full iteration with the fd readable
                RunOnLoop(reactor, () => { });
                Assert.Equal(1, Volatile.Read(ref calls));
            }
            finally
            {
                reactor.Stop();
                Assert.True(loop.Join(HangDetector), "hang detector: Run did not return after Stop");
                reactor.Dispose();
            }

            Assert.Equal(0, reactor.RegistrationCount);
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
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
