using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>
/// The client side of a latency cell: N idle TCP connections to the server, then one active connection that does
/// blocking 64-byte ping-pongs. The same client measures every server, so differences are the server's.
/// </summary>
internal sealed class LoopbackClient : IDisposable
{
    /// <summary>64 bytes per message, as the issue asks: small enough that one segment carries it.</summary>
    internal const int MessageSize = 64;

    private readonly List<Socket> _idle = [];
    private readonly byte[] _message = new byte[MessageSize];
    private readonly byte[] _reply = new byte[MessageSize];
    private Socket? _active;

    /// <summary>Opens <paramref name="idle"/> connections to 127.0.0.1:<paramref name="port"/>, then the active one.</summary>
    internal static LoopbackClient Connect(int port, int idle)
    {
        var client = new LoopbackClient();
        try
        {
            var server = new IPEndPoint(IPAddress.Loopback, port);
            for (int i = 0; i < idle; i++)
            {
                client._idle.Add(Open(server));
            }

            client._active = Open(server);
            client._active.NoDelay = true;
            client._active.ReceiveTimeout = 5000;
            client._message.AsSpan().Fill((byte)'p');
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>One round trip: send 64 bytes, receive the 64 back; returns microseconds.</summary>
    /// <exception cref="IOException">The server closed the connection (e.g. it could not watch the fd).</exception>
    /// <exception cref="SocketException">Reset or timed out.</exception>
    internal double RoundTrip()
    {
        long start = Stopwatch.GetTimestamp();
        _active!.Send(_message);
        int received = 0;
        while (received < MessageSize)
        {
            int n = _active.Receive(_reply.AsSpan(received));
            if (n == 0)
            {
                throw new IOException("the server closed the active connection");
            }

            received += n;
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    /// <summary>Closes every connection with an RST (SO_LINGER 0), leaving no TIME_WAIT behind for the next cell.</summary>
    public void Dispose()
    {
        foreach (Socket socket in _idle)
        {
            socket.Dispose();
        }

        _active?.Dispose();
    }

    private static Socket Open(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Connect(server);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
