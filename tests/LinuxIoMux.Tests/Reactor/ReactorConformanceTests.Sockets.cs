using System.Net;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>ReactorSocket on every backend: accept, connect, receive, send, end of stream, resets, misuse.</summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void ReactorSocket_echoes_a_payload_larger_than_the_socket_buffers_and_reads_end_of_stream()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var listenerSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listenerSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listenerSocket.Listen(16);
        EndPoint address = listenerSocket.LocalEndPoint!;
        using var listener = new ReactorSocket(reactor, listenerSocket);
        // 4 MiB, beyond loopback's socket buffers, so both sides' sends hit EAGAIN and wait for writability.
        byte[] payload = new byte[4 << 20];
        new Random(11).NextBytes(payload);
        var echoed = new MemoryStream();

        Task server = reactor.Spawn(async () =>
        {
            using ReactorSocket connection = await listener.AcceptAsync();
            byte[] buffer = new byte[16 * 1024];
            int n;
            while ((n = await connection.ReceiveAsync(buffer)) > 0)
            {
                await connection.SendAsync(buffer.AsMemory(0, n));
            }

            connection.ShutdownSend();
        });
        Task client = reactor.Spawn(async () =>
        {
            using ReactorSocket connection = await ReactorSocket.ConnectAsync(reactor, address);
            Task receiving = reactor.Spawn(async () =>
            {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = await connection.ReceiveAsync(buffer)) > 0)
                {
                    echoed.Write(buffer, 0, n);
                }
            });
            await connection.SendAsync(payload);
            connection.ShutdownSend();
            await receiving;
        });

        RunUntil(reactor, () => server.IsCompleted && client.IsCompleted, "the echo completes");
        server.GetAwaiter().GetResult();
        client.GetAwaiter().GetResult();
        Assert.Equal(payload.Length, echoed.Length);
        Assert.True(payload.AsSpan().SequenceEqual(echoed.ToArray()), "the echoed bytes differ from the sent ones");
        Assert.Equal(1, reactor.RegistrationCount); // only the listener is left
    }

    [SkippableFact]
    public void ReactorSocket_peer_reset_is_a_SocketException_in_the_awaiting_code_and_the_loop_goes_on()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (client, server) = Loopback.TcpPair();
        using var connection = new ReactorSocket(reactor, server);
        var unhandled = new List<Exception>();
        reactor.UnhandledException += (_, e) => unhandled.Add((Exception)e.ExceptionObject);
        SocketException? received = null;
        bool started = false;
        Task work = reactor.Spawn(async () =>
        {
            started = true;
            try
            {
                await connection.ReceiveAsync(new byte[16]);
            }
            catch (SocketException exception)
            {
                received = exception;
            }
        });
        RunUntil(reactor, () => started, "the receive is waiting");

        client.LingerState = new LingerOption(true, 0); // close with RST instead of FIN
        client.Dispose();
        RunUntil(reactor, () => work.IsCompleted, "the receive fails");

        Assert.NotNull(received);
        Assert.Equal(SocketError.ConnectionReset, received.SocketErrorCode);
        Assert.Contains("recv(fd=", received.Message);
        Assert.Empty(unhandled);
        bool ranAfter = false;
        reactor.Post(() => ranAfter = true);
        RunUntil(reactor, () => ranAfter, "the loop goes on after the reset");
    }

    [SkippableFact]
    public void ReactorSocket_rejects_a_second_pending_receive_and_use_from_another_running_loop()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (var connection = new ReactorSocket(reactor, server))
        {
            ValueTask<int> first = connection.ReceiveAsync(new byte[16]);
            Assert.False(first.IsCompleted);
            InvalidOperationException second = Assert.Throws<InvalidOperationException>(() => connection.ReceiveAsync(new byte[16]));
            Assert.Contains("already pending", second.Message);
            Assert.Throws<InvalidOperationException>(() => connection.AcceptAsync());

            // Code on another reactor's running loop may not use this reactor's socket while this loop runs.
            var loop = new Thread(() => reactor.Run());
            loop.Start();
            using var other = new LinuxIoMux.Reactor(Kind);
            try
            {
                SpinUntil(() => reactor.IsRunning, "the owning loop runs");
                Task misuse = other.Spawn(() => connection.SendAsync(new byte[1]).AsTask());
                RunUntil(other, () => misuse.IsCompleted, "the misuse fails");
                InvalidOperationException offLoop = Assert.IsType<InvalidOperationException>(misuse.Exception!.InnerException);
                Assert.Contains("loop thread", offLoop.Message);

                client.Send([7]);
                Task<int> firstTask = first.AsTask();
                SpinUntil(() => firstTask.IsCompleted, "the first receive completes");
                Assert.Equal(1, firstTask.Result);
            }
            finally
            {
                reactor.Stop();
                loop.Join();
            }
        }
    }

    [SkippableFact]
    public void ReactorSocket_connect_to_a_closed_port_throws_naming_connect_and_leaks_no_descriptor()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        EndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connecting is refused
            closed = probe.LocalEndPoint!;
            (int before, Dictionary<int, string> snapshot) = EpollFdSnapshot.Start();
            Task connect = reactor.Spawn(async () => (await ReactorSocket.ConnectAsync(reactor, closed)).Dispose());
            RunUntil(reactor, () => connect.IsCompleted, "the connect fails");
            SocketException failure = Assert.IsType<SocketException>(connect.Exception!.InnerException);
            Assert.Equal(SocketError.ConnectionRefused, failure.SocketErrorCode);
            Assert.Contains($"connect(fd=", failure.Message);
            Assert.Contains(closed.ToString()!, failure.Message);
            EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);
            Assert.Equal(0, reactor.RegistrationCount);
        }
    }
}
