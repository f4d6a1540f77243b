using System.Net;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// The states reached by sequences (stop then run again, fail then reuse, more ready than the buffer holds), on every
/// backend. Each test is the regression test of a defect found by hostile use (issue 9, defects 1, 2, 4, 5, 6, 7).
/// </summary>
public abstract partial class ReactorConformanceTests
{
    /// <summary>Defect 1: a consumed Stop left RunOnce turning every later wait into a zero timeout (a busy spin).</summary>
    [SkippableFact]
    public void Stop_ends_one_RunOnce_and_the_next_wait_blocks_again()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        reactor.Schedule(TimeSpan.FromMilliseconds(1), reactor.Stop);
        RunUntil(reactor, () => reactor.PendingTimerCount == 0, "the timer that calls Stop ran");

        // A Stop while no loop runs cuts exactly one RunOnce short; the wait after it blocks again.
        reactor.Stop();
        Assert.Equal(0, reactor.RunOnce(HangLimit));
        AssertRunOnceBlocksUntilAPost(reactor);
    }

    /// <summary>Defect 6 (same root as 1): a stop before Start left every loop of the group returning at once.</summary>
    [SkippableFact]
    public void Reactor_group_stopped_before_start_still_accepts_once_started()
    {
        using var group = new ReactorGroup(Kind, new IPEndPoint(IPAddress.Loopback, 0), static (_, socket) =>
        {
            socket.Send("a"u8);
            socket.Dispose();
        }, loopCount: 2);
        group.Stop(); // documented as a no-op before Start
        group.Start();
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((byte)'a', ConnectAndReadOneByte(group.LocalEndPoint));
        }
    }

    /// <summary>
    /// Defect 5: a loop ended by an exception kept its SO_REUSEPORT listener open, and the kernel kept queueing new
    /// connections in that backlog where nobody accepted them.
    /// </summary>
    [SkippableFact]
    public void Reactor_group_loop_that_dies_closes_its_listener_so_later_clients_reach_the_live_loop()
    {
        object? deadLoop = null; // the reactor reported as ended, written by loop 0's thread
        LinuxIoMux.Reactor? doomed = null;
        using var group = new ReactorGroup(Kind, new IPEndPoint(IPAddress.Loopback, 0), (reactor, socket) =>
        {
            if (ReferenceEquals(reactor, doomed))
            {
                socket.Dispose();
                throw new InvalidOperationException("the connection callback of the doomed loop failed");
            }

            socket.Send("a"u8);
            socket.Dispose();
        }, loopCount: 2);
        doomed = group.Reactors[0];
        group.UnhandledException += (sender, e) =>
        {
            if (!e.IsTerminating)
            {
                throw (Exception)e.ExceptionObject; // a subscriber that rethrows ends the loop
            }

            Volatile.Write(ref deadLoop, sender);
        };
        group.Start();

        // Connect until the kernel has routed one connection to loop 0, which then dies.
        for (int i = 0; i < 1000 && Volatile.Read(ref deadLoop) is null; i++)
        {
            using var client = Connect(group.LocalEndPoint);
            SpinUntil(() => Volatile.Read(ref deadLoop) is not null || client.Available > 0 || IsClosedByPeer(client), "the connection was answered or loop 0 died");
        }

        SpinUntil(() => Volatile.Read(ref deadLoop) is not null, "loop 0 received a connection and ended");
        Assert.Same(doomed, deadLoop);
        Assert.Equal(1, group.FaultedLoopCount);
        Assert.False(group.Acceptors[0].IsListening);

        // Every later client is served by the live loop (before the fix about half of them hung in loop 0's backlog).
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal((byte)'a', ConnectAndReadOneByte(group.LocalEndPoint));
        }
    }

    /// <summary>
    /// Defect 2: poll and select restarted every result scan at the first entry, so with more descriptors ready than
    /// the event buffer holds the same first ones were dispatched every wait and the rest never.
    /// </summary>
    [SkippableFact]
    public void Every_ready_descriptor_is_dispatched_when_more_are_ready_than_the_event_buffer_holds()
    {
        const int Ready = 6;
        const int Capacity = 2;
        const int Waits = 300;
        using var reactor = new LinuxIoMux.Reactor(Kind, eventCapacity: Capacity);
        var pairs = new List<(FileDescriptorHandle Watched, FileDescriptorHandle Peer)>();
        var calls = new int[Ready];
        try
        {
            for (int i = 0; i < Ready; i++)
            {
                var pair = SocketPair.Create();
                pairs.Add(pair);
                pair.Second.Write("x"u8); // never read: level-triggered, so it stays readable for every wait
                int index = i;
                reactor.Register(pair.First, Interest.Readable, (_, _) => calls[index]++);
            }

            // ceil(6 / 2) = 3 waits report every ready descriptor once.
            for (int wait = 0; wait < (Ready + Capacity - 1) / Capacity; wait++)
            {
                Assert.Equal(Capacity, reactor.RunOnce(TimeSpan.Zero));
            }

            _output.WriteLine($"after 3 waits: {string.Join(",", calls)}");
            Assert.All(calls, count => Assert.Equal(1, count));

            for (int wait = 3; wait < Waits; wait++)
            {
                reactor.RunOnce(TimeSpan.Zero);
            }

            _output.WriteLine($"after {Waits} waits: {string.Join(",", calls)}");
            Assert.Equal(Waits * Capacity, calls.Sum());
            Assert.All(calls, count => Assert.InRange(count, Waits * Capacity / Ready / 2, Waits * Capacity));
        }
        finally
        {
            reactor.Dispose();
            foreach (var (watched, peer) in pairs)
            {
                watched.Dispose();
                peer.Dispose();
            }
        }
    }

    /// <summary>
    /// Defect 4: the constructors opened the epoll fd and the waker's eventfd before checking their arguments, so
    /// every rejected call leaked two descriptors until a garbage collection ran the finalizers.
    /// </summary>
    [SkippableFact]
    public void Rejected_reactor_constructor_arguments_open_no_descriptor()
    {
        const int Calls = 200;
        int before = OpenDescriptors.Count();
        // No collection may run in between: finalizers would close leaked descriptors and hide the leak.
        Assert.True(GC.TryStartNoGCRegion(32 * 1024 * 1024), "could not suspend garbage collection");
        int after;
        try
        {
            for (int i = 0; i < Calls; i++)
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => new LinuxIoMux.Reactor(Kind, eventCapacity: 0));
                Assert.Throws<ArgumentOutOfRangeException>(() => new LinuxIoMux.Reactor(Kind, eventCapacity: -1));
                Assert.Throws<ArgumentNullException>(() => new LinuxIoMux.Reactor((IMultiplexer)null!));
            }

            after = OpenDescriptors.Count();
        }
        finally
        {
            GC.EndNoGCRegion();
        }

        // The runtime may open a descriptor or two of its own meanwhile; a leak is at least 3 * Calls.
        Assert.InRange(after - before, int.MinValue, 8);
    }

    /// <summary>
    /// Defect 7: with its listener disposed first, an Acceptor on poll or select was woken by POLLNVAL/EBADF on every
    /// wait and reported ObjectDisposedException each time (a busy spin); it must stop listening and report once.
    /// </summary>
    [SkippableFact]
    public void Acceptor_whose_listener_was_disposed_reports_once_and_stops_instead_of_spinning()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var reports = new List<Exception>();
        reactor.UnhandledException += (_, e) => reports.Add((Exception)e.ExceptionObject);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        using var acceptor = new Acceptor(reactor, listener, static socket => socket.Dispose());
        listener.Dispose();

        int callbacks = 0;
        for (int i = 0; i < 50; i++)
        {
            callbacks += reactor.RunOnce(TimeSpan.FromMilliseconds(1));
        }

        _output.WriteLine($"callbacks {callbacks}, reports {reports.Count}");
        Assert.InRange(callbacks, 0, 1); // epoll: 0 (the kernel dropped the closed fd); poll, select: exactly one
        Assert.Equal(callbacks, reports.Count);
        if (reports.Count == 1)
        {
            Assert.IsType<ObjectDisposedException>(reports[0]);
            Assert.False(acceptor.IsListening);
        }
    }

    /// <summary>RunOnce(hang limit) must block until another thread posts, and return with that action run.</summary>
    private static void AssertRunOnceBlocksUntilAPost(LinuxIoMux.Reactor reactor)
    {
        bool posted = false;
        var poster = new Thread(() =>
        {
            Thread.Sleep(50);
            reactor.Post(() => posted = true);
        }) { IsBackground = true };
        poster.Start();
        int callbacks = reactor.RunOnce(HangLimit);
        bool postedBeforeReturn = posted;
        poster.Join(); // before any assert: a post to a reactor the failing test already disposed would crash the host
        Assert.True(postedBeforeReturn, "RunOnce returned before anything happened: the stop request was not consumed");
        Assert.Equal(1, callbacks);
    }

    private static Socket Connect(EndPoint endpoint)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)HangLimit.TotalMilliseconds, // hang detector for the blocking read
        };
        client.Connect(endpoint);
        return client;
    }

    private static byte ConnectAndReadOneByte(EndPoint endpoint)
    {
        using Socket client = Connect(endpoint);
        var reply = new byte[1];
        Assert.Equal(1, client.Receive(reply));
        return reply[0];
    }

    private static bool IsClosedByPeer(Socket client) =>
        client.Poll(0, SelectMode.SelectRead) && client.Available == 0;
}
