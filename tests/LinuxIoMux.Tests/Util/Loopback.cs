using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Util;

/// <summary>Real kernel objects for tests: connected loopback TCP pairs.</summary>
internal static class Loopback
{
    /// <summary>A connected TCP pair on 127.0.0.1 (both blocking sockets; the listener is closed again).</summary>
    public static (Socket Client, Socket Server) TcpPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        Socket server = listener.Accept();
        return (client, server);
    }
}
