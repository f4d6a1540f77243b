using System.Net.Sockets;
using System.Text;
using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// ReactorSocket's drained tracking on every backend: after a short read the next receive skips its recv(2) and
/// waits, yet whatever arrives in between (data, end of stream, a reset) still completes it.
/// </summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void ReactorSocket_data_arriving_between_a_short_read_and_the_next_receive_is_received()
    {
        string outcome = ReceiveAfterShortRead(
            peer => peer.Send("c"u8),
            async connection =>
            {
                byte[] buffer = new byte[64];
                int n = await connection.ReceiveAsync(buffer);
                return Encoding.ASCII.GetString(buffer, 0, n);
            });
        Assert.Equal("c", outcome);
    }

    [SkippableFact]
    public void ReactorSocket_end_of_stream_arriving_between_a_short_read_and_the_next_receive_is_received()
    {
        string outcome = ReceiveAfterShortRead(
            peer => peer.Shutdown(SocketShutdown.Send),
            async connection => $"{await connection.ReceiveAsync(new byte[64])} bytes");
        Assert.Equal("0 bytes", outcome);
    }

    [SkippableFact]
    public void ReactorSocket_reset_arriving_between_a_short_read_and_the_next_receive_is_received()
    {
        string outcome = ReceiveAfterShortRead(
            peer =>
            {
                peer.LingerState = new LingerOption(true, 0); // close sends RST
                peer.Close();
            },
            async connection =>
            {
                try
                {
                    return $"{await connection.ReceiveAsync(new byte[64])} bytes";
                }
                catch (SocketException exception)
                {
                    return exception.SocketErrorCode.ToString();
                }
            });
        Assert.Equal(nameof(SocketError.ConnectionReset), outcome);
    }

    [SkippableFact]
    public void ReactorSocket_end_of_stream_queued_behind_the_data_of_a_short_read_is_received()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (peer, socket) = Loopback.TcpPair();
        using var _ = peer;
        using var connection = new ReactorSocket(reactor, socket);
        var received = new List<int>();
        Task work = reactor.Spawn(async () =>
        {
            received.Add(await connection.ReceiveAsync(new byte[64])); // waits: nothing sent yet
            received.Add(await connection.ReceiveAsync(new byte[64])); // short read, FIN behind it
            received.Add(await connection.ReceiveAsync(new byte[64]));
        });
        RunUntil(reactor, () => received.Count == 0 && connection.WouldBlockReceives == 1, "the first receive waits");
        peer.Send("a"u8);
        RunUntil(reactor, () => received.Count == 1, "the first receive completes");
        // "bc" and the FIN arrive before the loop looks: one edge under epoll, reported with the data.
        peer.Send("bc"u8);
        peer.Shutdown(SocketShutdown.Send);
        SpinUntil(() => socket.Available == 2, "the data arrives");
        RunUntil(reactor, () => work.IsCompleted, "end of stream is received");
        work.GetAwaiter().GetResult();
        Assert.Equal([1, 2, 0], received);
    }

    [SkippableFact]
    public void ReactorSocket_request_response_makes_no_EAGAIN_receive_after_a_short_read()
    {
        const int exchanges = 200;
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (clientSocket, serverSocket) = Loopback.TcpPair();
        using var client = new ReactorSocket(reactor, clientSocket);
        using var server = new ReactorSocket(reactor, serverSocket);
        // The client's first request is sent before the server's first receive, so the server never has to guess.
        Task clientWork = reactor.Spawn(async () =>
        {
            byte[] reply = new byte[64];
            for (int i = 0; i < exchanges; i++)
            {
                await client.SendAsync("ping"u8.ToArray());
                Assert.Equal(4, await client.ReceiveAsync(reply));
            }

            client.ShutdownSend();
        });
        long afterFirstExchange = -1;
        Task serverWork = reactor.Spawn(async () =>
        {
            byte[] request = new byte[64];
            int received = 0;
            while (await server.ReceiveAsync(request) > 0)
            {
                if (++received == 2)
                {
                    // io_uring: the first request arrives and is read within one loop iteration, and the poll
                    // completion it caused is reaped afterwards (io_uring does not re-check readiness when it is
                    // reaped, unlike epoll_wait): one stale report, one EAGAIN. The steady state is what counts.
                    afterFirstExchange = server.WouldBlockReceives;
                }

                await server.SendAsync("pong"u8.ToArray());
            }
        });

        RunUntil(reactor, () => clientWork.IsCompleted && serverWork.IsCompleted, "the exchanges complete");
        clientWork.GetAwaiter().GetResult();
        serverWork.GetAwaiter().GetResult();
        // Each request is a short read (4 of 64 bytes): the receive after the reply waits without a recv(2).
        Assert.InRange(afterFirstExchange, 0, 1);
        Assert.Equal(afterFirstExchange, server.WouldBlockReceives);
    }

    /// <summary>
    /// A short read ("ab" into 64 bytes), then <paramref name="arrive"/> on the peer while nothing awaits, then loop
    /// iterations that report the socket with no waiter (an edge epoll reports once), then <paramref name="receive"/>.
    /// </summary>
    private string ReceiveAfterShortRead(Action<Socket> arrive, Func<ReactorSocket, Task<string>> receive)
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (peer, socket) = Loopback.TcpPair();
        using var _ = peer;
        using var connection = new ReactorSocket(reactor, socket);
        peer.Send("ab"u8);
        SpinUntil(() => socket.Available == 2, "the first bytes arrive");
        var arrived = new TaskCompletionSource();
        bool shortRead = false;
        string? outcome = null;
        Task work = reactor.Spawn(async () =>
        {
            Assert.Equal(2, await connection.ReceiveAsync(new byte[64]));
            shortRead = true;
            await arrived.Task; // resumes through a post, after the loop dispatched what arrived
            outcome = await receive(connection);
        });

        RunUntil(reactor, () => shortRead, "the short read");
        arrive(peer);
        SpinUntil(() => socket.Poll(0, SelectMode.SelectRead), "the socket becomes readable");
        reactor.RunOnce(TimeSpan.Zero); // reports it while nothing awaits: an edge-triggered report is now used up
        reactor.RunOnce(TimeSpan.Zero);
        arrived.SetResult();
        RunUntil(reactor, () => work.IsCompleted, "the receive after the short read completes");
        work.GetAwaiter().GetResult();
        return outcome!;
    }
}
