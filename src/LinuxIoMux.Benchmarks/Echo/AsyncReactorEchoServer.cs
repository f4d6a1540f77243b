using System.Net.Sockets;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// The async reactor echo server: one <see cref="Reactor"/> (epoll) on a loop thread; an accept loop and one async
/// method per connection, both started with <see cref="Reactor.Spawn(Func{Task})"/>, awaiting
/// <see cref="ReactorSocket.ReceiveAsync"/> and <see cref="ReactorSocket.SendAsync"/>. Every continuation runs
/// on the loop thread, inline in the readiness dispatch: the same protocol code as <see cref="SocketAsyncEchoServer"/>,
/// without the thread pool.
/// </summary>
internal static class AsyncReactorEchoServer
{
    /// <summary>Starts the loop thread and the accept loop on it.</summary>
    internal static void Start(Socket listener)
    {
        var reactor = new Reactor(MultiplexerKind.Epoll);
        var acceptor = new ReactorSocket(reactor, listener);
        _ = reactor.Spawn(() => AcceptLoop(reactor, acceptor));
        var loop = new Thread(() =>
        {
            using (reactor)
            {
                reactor.Run();
            }
        }) { IsBackground = true, Name = "echo-async-loop" };
        loop.Start();
    }

    private static async Task AcceptLoop(Reactor reactor, ReactorSocket listener)
    {
        while (true)
        {
            ReactorSocket connection = await listener.AcceptAsync();
            connection.Socket.NoDelay = true;
            _ = reactor.Spawn(Serve, connection);
        }
    }

    private static async Task Serve(ReactorSocket connection)
    {
        byte[] buffer = new byte[EchoBenchServer.BufferSize];
        try
        {
            while (true)
            {
                int received = await connection.ReceiveAsync(buffer);
                if (received == 0)
                {
                    return;
                }

                await connection.SendAsync(buffer.AsMemory(0, received)); // all bytes, or an exception
            }
        }
        catch (SocketException)
        {
            // The client resets its connections (SO_LINGER 0) when a cell ends.
        }
        finally
        {
            connection.Dispose();
        }
    }
}
