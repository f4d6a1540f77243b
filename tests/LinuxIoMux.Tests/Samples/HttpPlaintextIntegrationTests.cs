using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using LinuxIoMux.Samples.HttpPlaintext.Protocol;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>samples/HttpPlaintext as a real process, on every backend, over raw sockets and under Debian's wrk.</summary>
public class HttpPlaintextIntegrationTests
{
    private const string Request = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n";

    [SkippableTheory]
    [InlineData("epoll", "callback")]
    [InlineData("poll", "callback")]
    [InlineData("select", "callback")]
    [InlineData("io_uring", "callback")]
    [InlineData("epoll", "async")]
    [InlineData("poll", "async")]
    [InlineData("select", "async")]
    [InlineData("io_uring", "async")]
    public void Sixteen_pipelined_requests_get_sixteen_responses_then_SIGTERM_stops_it(string backend, string api)
    {
        SkipUnlessBackendAvailable(backend);
        using var server = ChildServer.Start("HttpPlaintext", null, "--backend", backend, "--api", api);
        using var client = BlockingClient.Connect(server.Endpoint);
        client.Send(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(Request, 16))));

        var received = new StringBuilder();
        var buffer = new byte[65536];
        while (Regex.Matches(received.ToString(), "Hello, World!").Count < 16)
        {
            int n = client.Receive(buffer);
            Assert.True(n > 0, "the server closed a keep-alive connection");
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        Assert.Equal(16, Regex.Matches(received.ToString(), @"HTTP/1\.1 200 OK\r\n").Count);
        (int exitCode, string log) = server.Stop();
        Assert.Equal(0, exitCode);
        Assert.Contains("http plaintext: stopped", log);
    }

    [SkippableTheory]
    [InlineData("epoll", "callback")]
    [InlineData("poll", "callback")]
    [InlineData("select", "callback")]
    [InlineData("io_uring", "callback")]
    [InlineData("epoll", "async")]
    [InlineData("poll", "async")]
    [InlineData("select", "async")]
    [InlineData("io_uring", "async")]
    public void Wrk_gets_only_successful_responses(string backend, string api)
    {
        SkipUnlessBackendAvailable(backend);
        string wrk = ExternalTool.Require("wrk", "wrk");
        using var server = ChildServer.Start("HttpPlaintext", null, "--backend", backend, "--api", api);
        (int exit, string output) = ExternalTool.Run(wrk, TimeSpan.FromSeconds(60),
            "-t1", "-c32", "-d2s", $"http://{server.Endpoint}/plaintext");
        Assert.Equal(0, exit);
        Assert.Matches(@"Requests/sec:\s+[\d.]+", output);
        Assert.DoesNotContain("Non-2xx", output);
        Assert.DoesNotContain("Socket errors", output);
    }

    [Theory]
    [InlineData("callback")]
    [InlineData("async")]
    public void Headers_that_never_end_get_431_and_a_closed_connection(string api)
    {
        using var server = ChildServer.Start("HttpPlaintext", null, "--api", api);
        using var client = BlockingClient.Connect(server.Endpoint);
        client.Send(Encoding.ASCII.GetBytes("GET /plaintext HTTP/1.1\r\nX-Filler: " + new string('a', HttpLimits.MaxHeaderBytes + 1)));
        string response = BlockingClient.ReadUntilClosed(client);
        Assert.StartsWith("HTTP/1.1 431 ", response);
    }

    [Fact]
    public void A_malformed_request_line_gets_400_and_a_closed_connection()
    {
        using var server = ChildServer.Start("HttpPlaintext");
        using var client = BlockingClient.Connect(server.Endpoint);
        client.Send("BLAH\r\n\r\n"u8);
        Assert.StartsWith("HTTP/1.1 400 ", BlockingClient.ReadUntilClosed(client));
    }

    private static void SkipUnlessBackendAvailable(string backend)
    {
        if (backend == "io_uring")
        {
            IoUringSupport.SkipUnlessAvailable();
        }
    }
}
