using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIoMux.Tests.Util;

/// <summary>A plain blocking TCP client for talking to the sample servers, with 20 s timeouts as hang detectors.</summary>
internal static class BlockingClient
{
    public static Socket Connect(IPEndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20_000, SendTimeout = 20_000 };
        socket.Connect(endpoint);
        return socket;
    }

    /// <summary>Reads one CRLF-terminated line (RESP replies), byte by byte.</summary>
    public static string ReadLine(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal) && socket.Receive(one) == 1)
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    /// <summary>Everything the server sends until it closes the connection.</summary>
    public static string ReadUntilClosed(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return received.ToString();
    }
}
