using System.Net.Sockets;
using LinuxIoMux;

namespace EchoServer;

/// <summary>
/// One client: reads until would-block and writes everything back. When the client does not read its replies and
/// the send buffer fills, the connection stops reading (interest Writable only) until the backlog is flushed: the
/// back-pressure that keeps a slow client from growing the server's memory.
/// </summary>
internal sealed class EchoConnection
{
    /// <summary>Static, so dispatching allocates nothing: the connection travels in <see cref="Registration.State"/>.</summary>
    public static readonly ReadinessHandler Handler = OnReady;

    // 16 KiB: enough for a typical loopback segment burst in one recv; the same order as libuv's 64 KiB read buffer
    // divided across many connections.
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly Action<EchoConnection> _onClosed;
    private int _pendingStart;
    private int _pendingEnd;
    private bool _closed;

    public EchoConnection(Socket socket, Action<EchoConnection> onClosed)
    {
        Socket = socket;
        _onClosed = onClosed;
    }

    public Socket Socket { get; }

    public Registration? Registration { get; set; }

    /// <summary>Unregisters (first: the reactor knows only the fd number) and closes the socket. Idempotent.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        Registration?.Dispose();
        Socket.Dispose();
        _onClosed(this);
    }

    private static void OnReady(Registration registration, Readiness readiness)
    {
        var connection = (EchoConnection)registration.State!;
        if (connection._pendingEnd > connection._pendingStart)
        {
            if (!connection.Flush())
            {
                return; // still backed up: wait for the next writability
            }

            registration.Modify(Interest.Readable);
        }

        while (!connection._closed)
        {
            int received = connection.Socket.ReceiveNonBlocking(connection._buffer, out _);
            if (received == NonBlockingSocket.WouldBlock)
            {
                return;
            }

            if (received <= 0)
            {
                connection.Close(); // end of stream or an error such as ECONNRESET
                return;
            }

            connection._pendingStart = 0;
            connection._pendingEnd = received;
            if (!connection.Flush())
            {
                if (!connection._closed)
                {
                    registration.Modify(Interest.Writable);
                }

                return;
            }
        }
    }

    /// <summary>Sends what is pending; false if the send buffer filled (or the connection failed) first.</summary>
    private bool Flush()
    {
        while (_pendingStart < _pendingEnd)
        {
            int sent = Socket.SendNonBlocking(_buffer.AsSpan(_pendingStart, _pendingEnd - _pendingStart), out _);
            if (sent == NonBlockingSocket.WouldBlock)
            {
                return false;
            }

            if (sent < 0)
            {
                Close();
                return false;
            }

            _pendingStart += sent;
        }

        return true;
    }
}
