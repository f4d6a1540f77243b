using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>
/// The sample servers' <c>--request-timeout</c> (ProtocolConnection + ConnectionSweeper) as a client sees it: it bounds
/// how long one request may stay incomplete, not how long a connection may keep a partial request in its buffer.
/// </summary>
public class RequestTimeoutTests
{
    private const string HttpRequest = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /// <summary>
    /// Issue 9 defect 8: each write completes the previous request and starts the next, so the server's input buffer is
    /// never empty after a read, yet every request is complete within milliseconds. redis-server never closes such a
    /// client; the samples closed it once the timeout had passed since the buffer was last empty.
    /// </summary>
    [Theory]
    [InlineData("RespServer", "PING\r\n", "+PONG\r\n", "callback")]
    [InlineData("HttpPlaintext", HttpRequest, "Hello, World!", "callback")]
    [InlineData("RespServer", "PING\r\n", "+PONG\r\n", "async")]
    [InlineData("HttpPlaintext", HttpRequest, "Hello, World!", "async")]
    public void A_client_that_keeps_completing_requests_is_not_closed_by_the_request_timeout(string sample, string request, string reply, string api)
    {
        const double TimeoutSeconds = 1;
        using var server = ChildServer.Start(sample, null, "--request-timeout", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--api", api);
        using Socket client = BlockingClient.Connect(server.Endpoint);
        byte[] bytes = Encoding.ASCII.GetBytes(request);
        int cut = bytes.Length / 2;
        client.Send(bytes.AsSpan(0, cut)); // the start of request 1

        // Each write: the end of request n and the start of request n + 1. Run for 3.5 timeouts.
        byte[] step = [.. bytes.AsSpan(cut), .. bytes.AsSpan(0, cut)];
        var received = new StringBuilder();
        var buffer = new byte[4096];
        var clock = Stopwatch.StartNew();
        int answered = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3.5 * TimeoutSeconds))
        {
            client.Send(step);
            answered++;
            while (CountOf(received, reply) < answered)
            {
                int n = client.Receive(buffer);
                Assert.True(n > 0, $"{sample} closed the connection after {CountOf(received, reply)} replies at {clock.Elapsed.TotalSeconds:F1} s " +
                    $"although every request was completed within one write (request timeout {TimeoutSeconds} s)");
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            Thread.Sleep(20);
        }

        Assert.True(answered > 20, $"only {answered} requests were sent");
        Assert.False(server.HasExited);
    }

    private static int CountOf(StringBuilder text, string marker)
    {
        string all = text.ToString();
        int count = 0;
        for (int at = all.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = all.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
