using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>A blocking loopback client for the Kestrel tests: raw requests in, <see cref="HttpWire"/> transcripts out.</summary>
internal sealed class WireClient : IDisposable
{
    /// <summary>A hang detector, not a timing: no step of these tests waits this long unless the server is stuck.</summary>
    private static readonly TimeSpan s_hang = TimeSpan.FromSeconds(60);

    private WireClient(Socket socket, Stream stream)
    {
        Socket = socket;
        Stream = stream;
        Wire = new HttpWire(stream);
    }

    public Socket Socket { get; }

    public Stream Stream { get; }

    public HttpWire Wire { get; }

    public static WireClient Connect(IPEndPoint endpoint, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)s_hang.TotalMilliseconds,
            SendTimeout = (int)s_hang.TotalMilliseconds,
            NoDelay = true,
        };
        if (receiveBufferSize is int size)
        {
            socket.ReceiveBufferSize = size; // before connect: it sizes the window the server sees
        }

        socket.Connect(endpoint);
        return new WireClient(socket, new NetworkStream(socket, ownsSocket: false));
    }

    public static string Get(string path) => $"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n";

    public static string Post(string path, string body) =>
        $"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}";

    public void Send(string request) => Stream.Write(Encoding.ASCII.GetBytes(request));

    public void Send(ReadOnlySpan<byte> bytes) => Stream.Write(bytes);

    /// <summary>Closes with a reset (SO_LINGER 0), as a client that gives up mid-request.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    public void Dispose()
    {
        Stream.Dispose();
        Socket.Dispose();
    }
}
