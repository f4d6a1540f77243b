using System.Net;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// The interests and readiness hints the API review added (issue 10): priority data on every backend, one-shot on
/// epoll, read-closed and write-closed kept apart, and an Acceptor that refuses a socket that is not listening.
/// </summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void Priority_interest_reports_TCP_urgent_data_and_plain_data_does_not_trigger_it()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var reactor = new LinuxIoMux.Reactor(Kind))
        {
            var seen = new List<Readiness>();
            if (Kind == MultiplexerKind.IoUring)
            {
                // Refused, not accepted and then silent: a POLL_ADD for POLLPRI never completes for urgent data.
                var refused = Assert.Throws<NotSupportedException>(() => reactor.Register(server, Interest.Priority, (_, _) => { }));
                Assert.Contains("Priority", refused.Message);
                return;
            }

            using Registration registration = reactor.Register(server, Interest.Priority, (_, readiness) => seen.Add(readiness));
            client.Send([1]); // ordinary data: not priority
            Assert.Equal(0, reactor.RunOnce(TimeSpan.FromMilliseconds(50)));

            client.Send([2], SocketFlags.OutOfBand); // TCP urgent data: EPOLLPRI, POLLPRI, select's except set
            RunUntil(reactor, () => seen.Count > 0, "urgent data reported as priority");
            Assert.True(seen[0].IsPriority, seen[0].ToString());
            Assert.False(seen[0].IsReadable, "only priority was asked for");
        }
    }

    [SkippableFact]
    public void One_shot_reports_once_until_modify_rearms_it_on_epoll_and_is_refused_elsewhere()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        using (var reactor = new LinuxIoMux.Reactor(Kind))
        {
            if (!SupportsEdgeTriggered)
            {
                var refused = Assert.Throws<NotSupportedException>(() => reactor.Register(a, Interest.Readable | Interest.OneShot, static (_, _) => { }));
                Assert.Contains("OneShot", refused.Message);
                Assert.Equal(0, reactor.RegistrationCount);
                return;
            }

            int calls = 0;
            using Registration registration = reactor.Register(a, Interest.Readable | Interest.OneShot, (_, _) => calls++);
            b.Write("x"u8); // never read: level-triggered readiness stays, yet one-shot reports it once
            for (int i = 0; i < 5; i++)
            {
                reactor.RunOnce(TimeSpan.FromMilliseconds(10));
            }

            Assert.Equal(1, calls);
            registration.Modify(Interest.Readable | Interest.OneShot); // re-arm
            reactor.RunOnce(TimeSpan.FromMilliseconds(10));
            reactor.RunOnce(TimeSpan.FromMilliseconds(10));
            Assert.Equal(2, calls);
        }
    }

    [SkippableFact]
    public void Read_closed_and_write_closed_are_reported_apart()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        using (var reactor = new LinuxIoMux.Reactor(Kind))
        {
            Readiness last = default;
            using Registration registration = reactor.Register(server, Interest.Readable, (_, readiness) => last = readiness);

            client.Shutdown(SocketShutdown.Send); // the peer sends no more; the server can still send
            RunUntil(reactor, () => last.IsReadable, "the half-close is reported");
            _output.WriteLine($"after the peer's shutdown(SHUT_WR): {last}");
            Assert.False(last.IsWriteClosed, "a half-close must not say the write side is closed");
            if (Kind != MultiplexerKind.Select)
            {
                Assert.True(last.IsReadClosed);
            }

            Assert.Equal(1, server.Send([7])); // still writable: the hint was right

            client.LingerState = new LingerOption(true, 0);
            client.Close(); // RST: both directions are gone now
            last = default;
            RunUntil(reactor, () => Kind == MultiplexerKind.Select ? last.IsReadable : last.IsWriteClosed, "the reset is reported");
            _output.WriteLine($"after the peer's reset: {last}");
            if (Kind != MultiplexerKind.Select)
            {
                Assert.True(last.IsReadClosed);
                Assert.True(last.IsWriteClosed);
            }
        }
    }

    [SkippableFact]
    public void Acceptor_refuses_a_bound_socket_that_is_not_listening()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var refused = Assert.Throws<ArgumentException>(() => new Acceptor(reactor, bound, static socket => socket.Dispose()));
        Assert.Contains("not listening", refused.Message);
        Assert.Equal(0, reactor.RegistrationCount); // nothing registered, so nothing spins on EINVAL
    }
}
