using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// RespServer (the sample, as a child process) and a real redis-server, both fresh: <see cref="Exchange"/> gives each
/// the same bytes on a new connection, one after the other, so their keyspaces go through the same commands in the
/// same order and stay equal.
/// </summary>
internal sealed class RespServerPair : IDisposable
{
    private readonly ChildServer _ours;
    private readonly RedisServerProcess _redis;

    /// <param name="arguments">RespServer's extra arguments (e.g. <c>--api async</c>).</param>
    public RespServerPair(params string[] arguments)
    {
        _redis = RedisServerProcess.Start(); // first: it skips (or fails under CI) when redis-server is missing
        try
        {
            _ours = ChildServer.Start("RespServer", null, arguments);
        }
        catch
        {
            _redis.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> to both servers and returns what each answered until it closed.</summary>
    public (byte[] Ours, byte[] Redis) Exchange(byte[] request) => (Exchange(_ours.Endpoint, request), Exchange(_redis.Endpoint, request));

    /// <summary>Asserts that both servers answer <paramref name="request"/> with the same bytes.</summary>
    public void AssertSameReplies(byte[] request)
    {
        (byte[] ours, byte[] redis) = Exchange(request);
        Assert.True(ours.AsSpan().SequenceEqual(redis),
            $"request {Show(request)}\n RespServer:   {Show(ours)}\n redis-server: {Show(redis)}");
    }

    /// <summary>Bytes as a C-style escaped string, cut at 400 characters, for failure messages.</summary>
    public static string Show(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (byte b in bytes.AsSpan(0, Math.Min(bytes.Length, 400)))
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\\' => "\\\\",
                (byte)'"' => "\\\"",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return text.Append(bytes.Length > 400 ? $"\"... ({bytes.Length} bytes)" : "\"").ToString();
    }

    public void Dispose()
    {
        _ours.Dispose();
        _redis.Dispose();
    }

    /// <summary>
    /// Connects, sends everything, shuts down the sending side and reads until the server closes. The half-close
    /// makes "waits for more bytes" observable as an empty answer: both servers drop a connection at end of stream
    /// without answering an incomplete request.
    /// </summary>
    private static byte[] Exchange(IPEndPoint endpoint, byte[] request)
    {
        using Socket socket = BlockingClient.Connect(endpoint);
        var received = new MemoryStream();
        try
        {
            socket.Send(request);
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[65536];
            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
        {
            // A server that closes with bytes of ours unread resets the connection; what it sent before is kept above.
        }

        return received.ToArray();
    }
}
