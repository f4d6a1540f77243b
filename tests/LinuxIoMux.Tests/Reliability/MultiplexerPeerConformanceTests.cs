using System.Diagnostics;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;
using LinuxIoMux.Timing;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// The semantics a peer's selector suite checks (CPython's <c>Lib/test/test_selectors.py</c> BaseSelectorTestCase,
/// mio's <c>tests/poll.rs</c> and <c>tests/registering.rs</c>), restated as our own tests of <see cref="IMultiplexer"/>
/// and run once per backend by the subclasses at the end of this file. Only lower bounds on time are asserted; upper
/// limits are hang detectors.
/// </summary>
public abstract class MultiplexerPeerConformanceTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;

    protected MultiplexerPeerConformanceTests(ITestOutputHelper output)
    {
        _output = output;
    }

    protected abstract MultiplexerKind Kind { get; }

    /// <summary>epoll keeps the token (epoll_data) in the kernel; poll and select keep it only in the managed table.</summary>
    protected virtual bool TokenLivesInKernel => false;

    /// <summary>select never reports hang-up or error hints (only the read and write sets).</summary>
    protected virtual bool ReportsHangUpHints => true;

    private Multiplexer Create() => Multiplexer.Create(Kind);

    private static ReadyEvent[] WaitAll(IMultiplexer multiplexer, TimeSpan timeout, int capacity = 64)
    {
        var events = new ReadyEvent[capacity];
        int ready = multiplexer.Wait(events, timeout);
        return events[..ready];
    }

    [SkippableFact]
    public void Register_rejects_bad_arguments_and_double_registration_before_any_syscall()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => multiplexer.Add(-10, Interest.Readable, 2));
            Assert.Throws<ArgumentException>(() => multiplexer.Add(b.Fd, Interest.None, 2));
            Assert.Throws<ArgumentException>(() => multiplexer.Add(b.Fd, (Interest)999_999, 2));
            Assert.Throws<ArgumentException>(() => multiplexer.Add(a.Fd, Interest.Readable, 3)); // twice
            Assert.Throws<ArgumentException>(() => multiplexer.Modify(b.Fd, Interest.Readable, 4)); // unknown
            Assert.Throws<ArgumentException>(() => multiplexer.Modify(a.Fd, Interest.None, 4));
            Assert.Equal(1, multiplexer.Count);
            Assert.False(multiplexer.Contains(b.Fd));
            Assert.False(multiplexer.Remove(999_999));
            Assert.True(multiplexer.Remove(a.Fd));
            Assert.False(multiplexer.Remove(a.Fd)); // twice
            Assert.Equal(0, multiplexer.Count);
        }
    }

    [SkippableFact]
    public void Unregister_after_the_fd_was_closed_succeeds_and_reports_nothing_afterwards()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        int r = a.Fd, w = b.Fd;
        multiplexer.Add(r, Interest.Readable, 1);
        multiplexer.Add(w, Interest.Writable, 2);
        a.Dispose();
        b.Dispose();

        Assert.True(multiplexer.Remove(r));
        Assert.True(multiplexer.Remove(w));
        Assert.Equal(0, multiplexer.Count);
        Assert.Empty(WaitAll(multiplexer, TimeSpan.Zero));
    }

    [SkippableFact]
    public void Unregister_after_the_fd_number_was_reused_through_dup2_leaves_the_new_file_alone()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        var (c, d) = SocketPair.Create();
        using (c)
        using (d)
        {
            int r = a.Fd, w = b.Fd;
            multiplexer.Add(r, Interest.Readable, 1);
            multiplexer.Add(w, Interest.Writable, 2);
            a.Dispose();
            b.Dispose();
            Assert.Equal(r, TestLibC.dup2(c.Fd, r));
            Assert.Equal(w, TestLibC.dup2(d.Fd, w));
            try
            {
                Assert.True(multiplexer.Remove(r));
                Assert.True(multiplexer.Remove(w));
                Assert.Empty(WaitAll(multiplexer, TimeSpan.Zero));

                // The number is free in the table again and now names the new socket: registering it works.
                Assert.Equal(1, d.Write("x"u8));
                multiplexer.Add(r, Interest.Readable, 3);
                ReadyEvent e = Assert.Single(WaitAll(multiplexer, TimeSpan.Zero));
                Assert.Equal(3UL, e.Token);
                Assert.True(e.Readiness.IsReadable);
            }
            finally
            {
                multiplexer.Remove(r);
                TestLibC.close(r);
                TestLibC.close(w);
            }
        }
    }

    [SkippableFact]
    public void A_modify_refused_before_the_kernel_keeps_the_old_registration_whole()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 7);
            Assert.Throws<ArgumentException>(() => multiplexer.Modify(a.Fd, Interest.None, 8));
            Assert.ThrowsAny<Exception>(() => multiplexer.Modify(a.Fd, Kind == MultiplexerKind.Epoll ? (Interest)64 : Interest.Readable | Interest.EdgeTriggered, 9));

            Assert.Equal(1, b.Write("x"u8));
            ReadyEvent e = Assert.Single(WaitAll(multiplexer, TimeSpan.Zero));
            Assert.Equal(7UL, e.Token); // the old token: neither refused modify left a trace
            Assert.True(e.Readiness.IsReadable);
            Assert.True(multiplexer.Remove(a.Fd));
        }
    }

    [SkippableFact]
    public void A_modify_the_kernel_refuses_leaves_the_fd_unregistered_not_half_registered()
    {
        // CPython bpo-30014: when the kernel refuses a modify, the selector must not keep claiming the fd. Here the
        // registered fd is closed and its number reused by another socket (dup2): epoll_ctl(MOD) fails with ENOENT.
        // poll and select make no syscall in Modify, so on them the modify succeeds and simply applies.
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        var (c, d) = SocketPair.Create();
        using (b)
        using (c)
        using (d)
        {
            int fd = a.Fd;
            multiplexer.Add(fd, Interest.Readable, 1);
            a.Dispose();
            Assert.Equal(fd, TestLibC.dup2(c.Fd, fd));
            try
            {
                Assert.Equal(1, d.Write("x"u8));
                if (TokenLivesInKernel)
                {
                    UnixException refused = Assert.Throws<UnixException>(() => multiplexer.Modify(fd, Interest.Readable | Interest.Writable, 2));
                    Assert.Equal(Errno.ENOENT, refused.Errno);
                    Assert.False(multiplexer.Contains(fd), "after a refused epoll_ctl(MOD) the table still claims the fd: half-registered");
                    Assert.Equal(0, multiplexer.Count);
                    Assert.Empty(WaitAll(multiplexer, TimeSpan.Zero));
                    multiplexer.Add(fd, Interest.Readable, 3); // would throw "already registered" if half-registered
                    Assert.Equal(3UL, Assert.Single(WaitAll(multiplexer, TimeSpan.Zero)).Token);
                }
                else
                {
                    multiplexer.Modify(fd, Interest.Readable, 2);
                    Assert.Equal(2UL, Assert.Single(WaitAll(multiplexer, TimeSpan.Zero)).Token);
                }
            }
            finally
            {
                multiplexer.Remove(fd);
                TestLibC.close(fd);
            }
        }
    }

    [SkippableFact]
    public void A_token_only_modify_reports_the_new_token_and_only_epoll_needs_a_syscall_for_it()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 10);
            Assert.Equal(1, b.Write("x"u8));
            multiplexer.Modify(a.Fd, Interest.Readable, 11);
            ReadyEvent e = Assert.Single(WaitAll(multiplexer, TimeSpan.Zero));
            Assert.Equal(11UL, e.Token);

            // Whether the modify reached the kernel shows on a closed fd: a syscall fails (EBADF), a table update cannot.
            int fd = a.Fd;
            a.Dispose();
            if (TokenLivesInKernel)
            {
                Assert.Equal(Errno.EBADF, Assert.Throws<UnixException>(() => multiplexer.Modify(fd, Interest.Readable, 12)).Errno);
            }
            else
            {
                multiplexer.Modify(fd, Interest.Readable, 12);
                Assert.True(multiplexer.Remove(fd));
            }
        }
    }

    [SkippableFact]
    public void An_empty_wait_with_timeout_zero_returns_at_once()
    {
        using Multiplexer multiplexer = Create();
        long start = Stopwatch.GetTimestamp();
        Assert.Empty(WaitAll(multiplexer, TimeSpan.Zero));
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 1); // registered, not ready
            Assert.Empty(WaitAll(multiplexer, TimeSpan.Zero));
            multiplexer.Remove(a.Fd);
        }

        Assert.True(Stopwatch.GetElapsedTime(start) < HangDetector, "hang detector: a zero-timeout wait blocked");
    }

    [SkippableFact]
    public void A_one_second_wait_lasts_at_least_one_second()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 1);
            long start = Stopwatch.GetTimestamp();
            Assert.Empty(WaitAll(multiplexer, TimeSpan.FromSeconds(1)));
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            Assert.True(elapsed >= TimeSpan.FromSeconds(1), $"a 1 s wait returned after {elapsed.TotalMilliseconds} ms");
            multiplexer.Remove(a.Fd);
        }
    }

    [SkippableFact]
    public void A_wait_interrupted_by_signals_is_retried_with_the_remaining_time()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 1);
            TimeSpan timeout = TimeSpan.FromMilliseconds(400);
            using var storm = new SignalStorm();
            long retriesBefore = InterruptCounter.Retries;
            (int ready, TimeSpan elapsed) = storm.Run(() => multiplexer.Wait(new ReadyEvent[4], timeout), TimeSpan.FromMilliseconds(20), HangDetector);
            long retries = InterruptCounter.Retries - retriesBefore;
            Assert.Equal(0, ready);
            Assert.True(elapsed >= timeout, $"a 400 ms wait returned after {elapsed.TotalMilliseconds} ms ({retries} EINTR retries)");
            Assert.True(retries > 0, $"no EINTR was retried although {storm.SignalsSent} signals were sent");
            multiplexer.Remove(a.Fd);
        }
    }

    [SkippableFact]
    public void Readable_and_writable_of_one_fd_are_reported_together_in_one_event()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            Assert.Equal(1, b.Write("x"u8));
            multiplexer.Add(a.Fd, Interest.Readable | Interest.Writable, 5);
            ReadyEvent e = Assert.Single(WaitAll(multiplexer, TimeSpan.Zero));
            Assert.Equal(5UL, e.Token);
            Assert.True(e.Readiness.IsReadable && e.Readiness.IsWritable, e.ToString());
            multiplexer.Remove(a.Fd);
        }
    }

    [SkippableFact]
    public void Twelve_socketpairs_with_random_traffic_deliver_every_message_to_its_own_reader()
    {
        const int Pairs = 12;
        using Multiplexer multiplexer = Create();
        var readers = new FileDescriptorHandle[Pairs];
        var writers = new FileDescriptorHandle[Pairs];
        var random = new Random(Kind.GetHashCode() * 7919 + 12);
        try
        {
            for (int i = 0; i < Pairs; i++)
            {
                (readers[i], writers[i]) = SocketPair.Create();
                multiplexer.Add(readers[i].Fd, Interest.Readable, (ulong)i);
                multiplexer.Add(writers[i].Fd, Interest.Writable, (ulong)(1000 + i));
            }

            var delivered = new List<int>();
            var message = new byte[16];
            var received = new byte[64];
            while (delivered.Count < Pairs)
            {
                ReadyEvent[] ready = WaitAll(multiplexer, TimeSpan.FromSeconds(5));
                int[] writable = ready.Where(e => e.Token >= 1000 && e.Readiness.IsWritable).Select(e => (int)e.Token - 1000).ToArray();
                Assert.NotEmpty(writable);
                Assert.DoesNotContain(ready, e => e.Token < 1000); // nothing sent yet that is unread
                int chosen = writable[random.Next(writable.Length)];
                random.NextBytes(message);
                message[0] = (byte)chosen;
                Assert.Equal(message.Length, writers[chosen].Write(message));

                ReadyEvent[] after = WaitAll(multiplexer, TimeSpan.FromSeconds(5));
                ReadyEvent reader = Assert.Single(after, e => e.Token < 1000);
                Assert.Equal((ulong)chosen, reader.Token);
                Assert.Equal(message.Length, readers[chosen].Read(received));
                Assert.True(message.AsSpan().SequenceEqual(received.AsSpan(0, message.Length)), $"pair {chosen}: wrong bytes");
                Assert.True(multiplexer.Remove(readers[chosen].Fd));
                Assert.True(multiplexer.Remove(writers[chosen].Fd));
                delivered.Add(chosen);
            }

            Assert.Equal(Enumerable.Range(0, Pairs), delivered.Order());
            Assert.Equal(0, multiplexer.Count);
        }
        finally
        {
            foreach (FileDescriptorHandle? handle in readers.Concat(writers))
            {
                handle?.Dispose();
            }
        }
    }

    [SkippableFact]
    public void No_events_are_reported_after_deregister()
    {
        using Multiplexer multiplexer = Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable | Interest.Writable, 1);
            multiplexer.Add(b.Fd, Interest.Writable, 2);
            Assert.Equal(1, b.Write("x"u8));
            Assert.Equal(2, WaitAll(multiplexer, TimeSpan.Zero).Length);
            Assert.True(multiplexer.Remove(a.Fd));
            ReadyEvent only = Assert.Single(WaitAll(multiplexer, TimeSpan.Zero));
            Assert.Equal(2UL, only.Token);
            Assert.True(multiplexer.Remove(b.Fd));
            Assert.Empty(WaitAll(multiplexer, TimeSpan.FromMilliseconds(50)));
        }
    }

    [SkippableFact]
    public void A_peer_reset_makes_the_socket_readable_and_reading_reports_the_reset()
    {
        (Socket client, Socket server) = Loopback.TcpPair();
        using (client)
        using (server)
        {
            using Multiplexer multiplexer = Create();
            server.Blocking = false;
            multiplexer.Add((int)server.Handle, Interest.Readable, 9);
            Assert.Empty(WaitAll(multiplexer, TimeSpan.Zero));
            client.LingerState = new LingerOption(true, 0); // close sends RST instead of FIN
            client.Close();

            ReadyEvent e = Assert.Single(WaitAll(multiplexer, HangDetector));
            Assert.Equal(9UL, e.Token);
            Assert.True(e.Readiness.IsReadable, e.ToString());
            if (ReportsHangUpHints)
            {
                Assert.True(e.Readiness.IsHangUp && e.Readiness.IsError, $"RST should be reported as hang-up and error: {e}");
            }

            int read = server.Receive(new byte[16], SocketFlags.None, out SocketError error);
            Assert.Equal((0, SocketError.ConnectionReset), (Math.Max(read, 0), error));
            multiplexer.Remove((int)server.Handle);
        }
    }

    [SkippableFact]
    public void Posts_from_many_threads_coalesce_into_few_wakes_and_all_run()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        const int Threads = 4, PostsPerThread = 500;
        int ran = 0;
        Parallel.For(0, Threads, _ =>
        {
            for (int i = 0; i < PostsPerThread; i++)
            {
                reactor.Post(() => ran++);
            }
        });

        long start = Stopwatch.GetTimestamp();
        while (ran < Threads * PostsPerThread && Stopwatch.GetElapsedTime(start) < HangDetector)
        {
            reactor.RunOnce(TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(Threads * PostsPerThread, ran);
        // Nobody acknowledged the eventfd while the posts arrived: every post after the first found the gate closed.
        Assert.Equal(1, reactor.WakeSignals);
        _output.WriteLine($"{Threads * PostsPerThread} posts from {Threads} threads, {reactor.WakeSignals} eventfd write(s)");
    }
}

/// <summary>The peer semantics on epoll, plus what only epoll allows: registering while another thread waits.</summary>
public sealed class EpollPeerConformanceTests(ITestOutputHelper output) : MultiplexerPeerConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Epoll;

    protected override bool TokenLivesInKernel => true;

    [SkippableFact]
    public void Registering_from_another_thread_wakes_a_blocked_wait()
    {
        // mio's register_during_poll: epoll_ctl on an epoll fd another thread is blocked in is allowed and wakes it.
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            Assert.Equal(1, b.Write("x"u8));
            int ready = -1;
            ulong data = 0;
            using var entered = new ManualResetEventSlim();
            var waiter = new Thread(() =>
            {
                var events = new EpollEvent[4];
                entered.Set();
                ready = epoll.Wait(events, -1);
                data = events[0].Data;
            }) { IsBackground = true };
            waiter.Start();
            entered.Wait();
            Thread.Sleep(100); // let it block in epoll_wait (if it has not yet, the add is seen on entry: same result)
            Assert.True(waiter.IsAlive, "the wait returned with nothing registered");
            epoll.Add(a, EpollEvents.In, 42);
            Assert.True(waiter.Join(TimeSpan.FromSeconds(30)), "hang detector: the add did not wake the blocked wait");
            Assert.Equal((1, 42UL), (ready, data));
        }
    }
}

/// <summary>The peer semantics on poll.</summary>
public sealed class PollPeerConformanceTests(ITestOutputHelper output) : MultiplexerPeerConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Poll;
}

/// <summary>The peer semantics on select (no hang-up hints: only the read and write sets exist).</summary>
public sealed class SelectPeerConformanceTests(ITestOutputHelper output) : MultiplexerPeerConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Select;

    protected override bool ReportsHangUpHints => false;
}

/// <summary>The peer semantics on io_uring; skipped, with the reason, where io_uring is disabled or blocked.</summary>
public sealed class IoUringPeerConformanceTests : MultiplexerPeerConformanceTests
{
    public IoUringPeerConformanceTests(ITestOutputHelper output)
        : base(output)
    {
        IoUringSupport.SkipUnlessAvailable();
    }

    protected override MultiplexerKind Kind => MultiplexerKind.IoUring;
}
