using System.Net.Sockets;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// The echo server most C# developers write today: <see cref="Socket.AcceptAsync(CancellationToken)"/>, then per
/// connection an async loop of <see cref="Socket.ReceiveAsync(Memory{byte}, SocketFlags, CancellationToken)"/> and
/// <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/>. Continuations run on the
/// thread pool, woken by the runtime's own epoll thread (SocketAsyncEngine).
/// </summary>
internal static class SocketAsyncEchoServer
{
    /// <summary>Starts the accept loop on the thread pool.</summary>
    internal static void Start(Socket listener) => _ = Task.Run(() => AcceptLoop(listener));

    private static async Task AcceptLoop(Socket listener)
    {
        while (true)
        {
            Socket socket = await listener.AcceptAsync();
            socket.NoDelay = true;
            _ = Serve(socket);
        }
    }

    private static async Task Serve(Socket socket)
    {
        byte[] buffer = new byte[EchoBenchServer.BufferSize];
        try
        {
            while (true)
            {
                int received = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                if (received == 0)
                {
                    return;
                }

                // On a stream socket SendAsync completes once every byte is sent; the loop keeps that explicit.
                for (int sent = 0; sent < received;)
                {
                    sent += await socket.SendAsync(buffer.AsMemory(sent, received - sent), SocketFlags.None);
                }
            }
        }
        catch (SocketException)
        {
            // The client resets its connections (SO_LINGER 0) when a cell ends.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
