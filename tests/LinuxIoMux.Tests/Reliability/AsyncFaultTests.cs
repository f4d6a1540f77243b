using System.Net.Sockets;
using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// Issue 11's fault cases for awaiting code: a reactor disposed under 1,000 pending awaits, continuations that throw,
/// and a cancelled wait that must leave nothing armed behind it. On every backend.
/// </summary>
public class AsyncFaultTests
{
    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll, 1000)]
    [InlineData(MultiplexerKind.Poll, 1000)]
    [InlineData(MultiplexerKind.IoUring, 1000)]
    [InlineData(MultiplexerKind.Select, 450)] // at most; fewer if the test host's own fds would push one past FD_SETSIZE
    public void Disposing_the_reactor_under_pending_awaits_completes_each_with_ObjectDisposed_and_leaks_nothing(MultiplexerKind kind, int awaits)
    {
        SkipUnlessAvailable(kind);
        Skip.IfNot(FdLimits.TryRaiseSoftLimit((ulong)(2 * awaits + 256), out FdLimits limits), $"{awaits} socket pairs need more descriptors: {limits}");
        (int before, Dictionary<int, string> snapshot) = EpollFdSnapshot.Start();
        if (kind == MultiplexerKind.Select)
        {
            awaits = Math.Min(awaits, (FdSet.Capacity - 64 - OpenDescriptors.Count()) / 2); // every open fd takes a number
            Skip.If(awaits < 100, $"select: only {awaits} socket pairs fit below FD_SETSIZE beside {before} open descriptors");
        }

        var reactor = new LinuxIoMux.Reactor(kind);
        var peers = new List<FileDescriptorHandle>();
        var tasks = new List<Task>();
        int disposedSeen = 0;
        int otherFailures = 0;
        int ranAfterLoopExit = 0;
        int resumedAfterYield = 0;
        bool loopExited = false;
        for (int i = 0; i < awaits; i++)
        {
            var (mine, peer) = SocketPair.Create();
            peers.Add(peer);
            // The pair's first end becomes a Socket owned by a ReactorSocket (closed by the awaiting code below).
            var socket = new Socket(new SafeSocketHandle(mine.DangerousGetHandle(), ownsHandle: true));
            mine.SetHandleAsInvalid();
            var connection = new ReactorSocket(reactor, socket);
            tasks.Add(reactor.Spawn(async () =>
            {
                using (connection)
                {
                    try
                    {
                        await connection.ReceiveAsync(new byte[8]);
                    }
                    catch (ObjectDisposedException)
                    {
                        disposedSeen++;
                    }
                    catch (Exception)
                    {
                        otherFailures++;
                    }

                    if (Volatile.Read(ref loopExited))
                    {
                        ranAfterLoopExit++;
                    }
                }

                await Task.Yield(); // posts to the disposed loop: must never run
                Interlocked.Increment(ref resumedAfterYield);
            }));
        }

        int started = 0;
        reactor.Post(() => started = 1); // runs after every spawned work has reached its await
        var loop = new Thread(() =>
        {
            reactor.Run();
            Volatile.Write(ref loopExited, true);
        });
        loop.Start();
        SpinUntil(() => Volatile.Read(ref started) == 1, "every await is pending");
        reactor.Dispose();
        Assert.True(loop.Join(HangLimit), "hang detector: the loop did not exit after Dispose");

        Assert.Equal(awaits, disposedSeen);
        Assert.Equal(0, otherFailures);
        Assert.Equal(0, ranAfterLoopExit);
        SpinUntil(() => tasks.TrueForAll(task => task.IsCompleted), "every spawned task completes");
        Assert.All(tasks, task => Assert.IsType<ObjectDisposedException>(task.Exception!.InnerException));
        Thread.Sleep(100); // give a wrongly scheduled continuation the chance to run (no timing is asserted)
        Assert.Equal(0, Volatile.Read(ref resumedAfterYield));
        foreach (FileDescriptorHandle peer in peers)
        {
            peer.Dispose();
        }

        EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);
    }

    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    [InlineData(MultiplexerKind.IoUring)]
    public void A_continuation_that_throws_is_reported_through_UnhandledException_and_the_loop_goes_on(MultiplexerKind kind)
    {
        SkipUnlessAvailable(kind);
        using var reactor = new LinuxIoMux.Reactor(kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            var reported = new List<Exception>();
            reactor.UnhandledException += (_, e) => reported.Add((Exception)e.ExceptionObject);
            using Registration registration = reactor.Register(a, Interest.Readable, static (_, _) => { });

            // A raw continuation, resumed inline in the dispatch.
            registration.WaitAsync(Interest.Readable).ConfigureAwait(false).GetAwaiter()
                .UnsafeOnCompleted(() => throw new InvalidDataException("raw continuation"));
            peer.Write("x"u8);
            RunUntil(reactor, () => reported.Count == 1, "the raw continuation's exception is reported");
            Assert.Equal("raw continuation", reported[0].Message);
            Span<byte> drain = stackalloc byte[8];
            Assert.Equal(1, a.Read(drain));

            // An async void method on the loop: its exception goes to the loop's SynchronizationContext.
            reactor.Post(async () =>
            {
                await registration.WaitAsync(Interest.Readable);
                throw new InvalidDataException("async void");
            });
            reactor.RunOnce(TimeSpan.Zero);
            peer.Write("y"u8);
            RunUntil(reactor, () => reported.Count == 2, "the async void exception is reported");
            Assert.Equal("async void", reported[1].Message);

            // The loop goes on: a later wait still completes.
            Assert.Equal(1, a.Read(drain));
            Task<Readiness> later = registration.WaitAsync(Interest.Readable).AsTask();
            peer.Write("z"u8);
            RunUntil(reactor, () => later.IsCompleted, "a later wait completes");
            Assert.True(later.Result.IsReadable);
        }
    }

    [SkippableTheory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    [InlineData(MultiplexerKind.IoUring)]
    public void A_cancelled_receive_leaves_nothing_armed_and_the_socket_usable(MultiplexerKind kind)
    {
        SkipUnlessAvailable(kind);
        using var reactor = new LinuxIoMux.Reactor(kind);
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (var connection = new ReactorSocket(reactor, server))
        {
            using var cancellation = new CancellationTokenSource();
            Task<int> cancelled = connection.ReceiveAsync(new byte[8], cancellation.Token).AsTask();
            cancellation.Cancel();
            RunUntil(reactor, () => cancelled.IsCompleted, "the cancelled receive completes");
            Assert.True(cancelled.IsCanceled);

            // Data nobody awaits: at most one report (the edge, or the level report that drops the interest), then quiet.
            client.Send("ping"u8);
            int reports = 0;
            for (int i = 0; i < 5; i++)
            {
                reports += reactor.RunOnce(TimeSpan.FromMilliseconds(20));
            }

            Assert.InRange(reports, 0, 1);
            Assert.Equal(0, reactor.RunOnce(TimeSpan.Zero));
            Assert.Equal(1, reactor.RegistrationCount);

            // Still usable: the data is there for the next receive, and a later one waits and completes.
            ValueTask<int> first = connection.ReceiveAsync(new byte[8]);
            Assert.True(first.IsCompletedSuccessfully);
            Assert.Equal(4, first.Result);
            Task<int> next = connection.ReceiveAsync(new byte[8]).AsTask();
            client.Send("pong!"u8);
            RunUntil(reactor, () => next.IsCompleted, "a receive after the cancelled one completes");
            Assert.Equal(5, next.Result);
        }
    }

    private static void SkipUnlessAvailable(MultiplexerKind kind)
    {
        if (kind == MultiplexerKind.IoUring)
        {
            IoUringSupport.SkipUnlessAvailable();
        }
    }
}
