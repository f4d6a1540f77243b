using System.Net.Sockets;

namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>
/// One accepted connection of <see cref="ReactorEchoServer"/>: reads what arrives and sends it back; bytes the socket
/// cannot take yet stay in a fixed buffer and reading pauses until they drain (the same back-pressure as
/// native/echo/echo_server.c).
/// </summary>
internal sealed class EchoConnection
{
    /// <summary>16 KiB, the same per-connection buffer as the C echo server.</summary>
    private const int BufferSize = 16384;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _pending;

    internal EchoConnection(Socket socket) => _socket = socket;

    /// <summary>The handler every connection is registered with; the connection is the registration's state.</summary>
    internal static void OnReady(Registration registration, Readiness readiness)
    {
        var connection = (EchoConnection)registration.State!;
        if (!connection.Service(registration, readiness))
        {
            registration.Dispose();
            connection._socket.Dispose();
        }
    }

    /// <summary>Closes the socket (the server is shutting down).</summary>
    internal void Close() => _socket.Dispose();

    /// <summary>Reads if there is room, echoes what is pending; false when the connection must close.</summary>
    private bool Service(Registration registration, Readiness readiness)
    {
        if (readiness.IsReadable && _pending < BufferSize)
        {
            int received = _socket.ReceiveNonBlocking(_buffer.AsSpan(_pending), out _);
            if (received == 0 || received == NonBlockingSocket.Failed)
            {
                return false;
            }

            if (received > 0)
            {
                _pending += received;
            }
        }
        else if ((readiness.IsHangUp || readiness.IsError) && !readiness.IsWritable)
        {
            return false;
        }

        int sent = 0;
        while (sent < _pending)
        {
            int n = _socket.SendNonBlocking(_buffer.AsSpan(sent, _pending - sent), out _);
            if (n == NonBlockingSocket.WouldBlock)
            {
                break;
            }

            if (n == NonBlockingSocket.Failed)
            {
                return false;
            }

            sent += n;
        }

        _buffer.AsSpan(sent, _pending - sent).CopyTo(_buffer);
        _pending -= sent;
        Interest wanted = (_pending < BufferSize ? Interest.Readable : Interest.None) | (_pending > 0 ? Interest.Writable : Interest.None);
        if (wanted != registration.Interest)
        {
            registration.Modify(wanted);
        }

        return true;
    }
}
