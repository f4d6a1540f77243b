using System.Net.Sockets;
using System.Text;
using LinuxIoMux.Samples.RespServer.Protocol;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>samples/RespServer as a real process, on every backend, under Debian's redis-cli and redis-benchmark.</summary>
public class RespServerIntegrationTests
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(120);

    [SkippableTheory]
    [InlineData("epoll", "callback")]
    [InlineData("poll", "callback")]
    [InlineData("select", "callback")]
    [InlineData("io_uring", "callback")]
    [InlineData("epoll", "async")]
    [InlineData("poll", "async")]
    [InlineData("select", "async")]
    [InlineData("io_uring", "async")]
    public void Redis_cli_and_redis_benchmark_work_and_the_server_stops_cleanly_on_SIGTERM(string backend, string api)
    {
        SkipUnlessBackendAvailable(backend);
        string cli = ExternalTool.Require("redis-cli", "redis-tools");
        string benchmark = ExternalTool.Require("redis-benchmark", "redis-tools");
        using var server = ChildServer.Start("RespServer", null, "--backend", backend, "--api", api);
        string port = server.Endpoint.Port.ToString();

        string Cli(params string[] command) =>
            ExternalTool.Run(cli, s_toolTimeout, ["-p", port, .. command]).Output.Trim();

        Assert.Equal("PONG", Cli("PING"));
        Assert.Equal("OK", Cli("SET", "greeting", "hello world"));
        Assert.Equal("hello world", Cli("GET", "greeting"));
        Assert.Equal("1", Cli("INCR", "counter"));
        Assert.Equal("2", Cli("INCR", "counter"));
        Assert.Equal("1", Cli("EXISTS", "greeting"));
        Assert.Equal("1", Cli("DEL", "greeting"));
        Assert.Equal("", Cli("GET", "greeting"));
        Assert.StartsWith("ERR unknown command", Cli("FLUSHALL"));

        foreach (string[] extra in new[] { Array.Empty<string>(), ["-P", "16"] })
        {
            (int exit, string output) = ExternalTool.Run(benchmark, s_toolTimeout,
                ["-p", port, "-t", "ping,set,get", "-n", "20000", "-q", .. extra]);
            Assert.Equal(0, exit);
            foreach (string test in new[] { "PING_INLINE", "PING_MBULK", "SET", "GET" })
            {
                Assert.Matches($@"{test}: [\d.]+ requests per second", output);
            }

            Assert.DoesNotContain("Could not fetch server CONFIG", output);
        }

        (int exitCode, string log) = server.Stop();
        Assert.Equal(0, exitCode);
        Assert.Contains("resp server: stopped", log);
    }

    [Fact]
    public void A_one_gigabyte_bulk_length_gets_an_error_and_a_closed_connection_without_buffering()
    {
        using var server = ChildServer.Start("RespServer");
        using var client = BlockingClient.Connect(server.Endpoint);
        client.Send("*1\r\n$1073741824\r\n"u8);
        Assert.Equal("-ERR Protocol error: invalid bulk length\r\n", BlockingClient.ReadUntilClosed(client));
        Assert.False(server.HasExited);
    }

    [Theory]
    [InlineData("callback")]
    [InlineData("async")]
    public void A_client_that_pipelines_large_replies_and_reads_nothing_is_held_back_not_buffered(string api)
    {
        using var server = ChildServer.Start("RespServer", null, "--api", api);
        using var client = BlockingClient.Connect(server.Endpoint);
        string value = new('v', RespLimits.MaxBulkLength);
        client.Send(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${value.Length}\r\n{value}\r\n"));
        Assert.Equal("+OK\r\n", BlockingClient.ReadLine(client));

        // Each 9-byte GET asks for a 1 MiB reply. Without back-pressure the server would read every request and queue
        // gigabytes; with it, it stops reading, the kernel buffers fill and our send would block.
        client.Blocking = false;
        byte[] requests = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET big\r\n", 1024)));
        long sent = 0;
        while (sent < 512L * 1024 * 1024)
        {
            int n = client.Send(requests, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            Assert.Equal(SocketError.Success, error);
            sent += n;
        }

        Assert.True(sent < 512L * 1024 * 1024, "the server kept reading requests whose replies nobody reads");
        long requested = sent / 9 * RespLimits.MaxBulkLength;
        Assert.True(requested > 10L * 1024 * 1024 * 1024, $"only {requested} reply bytes were requested: the test needs more pressure");
        Assert.True(server.ResidentBytes() < 1024L * 1024 * 1024, $"server RSS {server.ResidentBytes()} bytes after {requested} reply bytes were asked for");

        // Another client is still served while this one is held back.
        using var other = BlockingClient.Connect(server.Endpoint);
        other.Send("PING\r\n"u8);
        Assert.Equal("+PONG\r\n", BlockingClient.ReadLine(other));
    }

    [Theory]
    [InlineData("callback")]
    [InlineData("async")]
    public void A_request_left_incomplete_past_the_timeout_closes_the_connection(string api)
    {
        using var server = ChildServer.Start("RespServer", null, "--request-timeout", "1", "--api", api);
        using var client = BlockingClient.Connect(server.Endpoint);
        client.Send("*2\r\n$3\r\nGET\r\n$3\r\nke"u8);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("", BlockingClient.ReadUntilClosed(client));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"closed after {clock.Elapsed}, before the 1 s timeout");
    }

    [Fact]
    public void Malformed_input_gets_an_error_reply_and_a_closed_connection()
    {
        using var server = ChildServer.Start("RespServer");
        using var client = BlockingClient.Connect(server.Endpoint);
        client.Send("*1\r\n+PING\r\n"u8);
        Assert.StartsWith("-ERR Protocol error: expected '$'", BlockingClient.ReadUntilClosed(client));
    }

    private static void SkipUnlessBackendAvailable(string backend)
    {
        if (backend == "io_uring")
        {
            IoUringSupport.SkipUnlessAvailable();
        }
    }
}
