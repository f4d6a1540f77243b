using System.Buffers;
using System.Text;
using LinuxIoMux.Samples.RespServer.Protocol;
using LinuxIoMux.Samples.RespServer.Storage;

namespace LinuxIoMux.Tests.Samples;

/// <summary>The RESP parser and command processor of samples/RespServer, fed bytes directly (no sockets).</summary>
public class RespProtocolTests
{
    private readonly RespCommandProcessor _processor = new(new KeyValueStore());

    private string Run(string input, out bool close, out int consumed)
    {
        var output = new ArrayBufferWriter<byte>();
        byte[] bytes = Encoding.ASCII.GetBytes(input);
        consumed = _processor.Process(bytes, output, int.MaxValue, out close);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    private string Run(string input) => Run(input, out _, out _);

    [Fact]
    public void Multibulk_and_inline_commands_get_redis_replies()
    {
        Assert.Equal("+PONG\r\n", Run("*1\r\n$4\r\nPING\r\n"));
        Assert.Equal("+PONG\r\n", Run("PING\r\n"));
        Assert.Equal("$5\r\nhello\r\n", Run("*2\r\n$4\r\nECHO\r\n$5\r\nhello\r\n"));
        Assert.Equal("+OK\r\n", Run("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nv1\r\n"));
        Assert.Equal("$2\r\nv1\r\n", Run("*2\r\n$3\r\nget\r\n$1\r\nk\r\n"));
        Assert.Equal("$-1\r\n", Run("GET missing\r\n"));
        Assert.Equal(":1\r\n", Run("EXISTS k missing\r\n"));
        Assert.Equal(":1\r\n", Run("DEL k missing\r\n"));
        Assert.Equal(":0\r\n", Run("EXISTS k\r\n"));
        Assert.Equal("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", Run("CONFIG GET save\r\n"));
        Assert.Equal("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", Run("CONFIG GET appendonly\r\n"));
        Assert.Equal("*0\r\n", Run("CONFIG GET maxmemory\r\n"));
    }

    [Fact]
    public void Incr_counts_and_rejects_non_integers()
    {
        Assert.Equal(":1\r\n", Run("INCR n\r\n"));
        Assert.Equal(":2\r\n", Run("INCR n\r\n"));
        Run("SET s abc\r\n");
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("INCR s\r\n"));
    }

    /// <summary>
    /// Issue 9 defect 9: INCR read the value with Utf8Parser, which takes "+5", "007" and "-0"; redis-server 7 refuses
    /// every non-canonical spelling, and names overflow separately.
    /// </summary>
    [Theory]
    [InlineData("+5")]
    [InlineData("007")]
    [InlineData("-0")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("5.0")]
    [InlineData("")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999")]
    public void Incr_refuses_a_value_that_is_not_a_canonical_integer_and_leaves_it_alone(string stored)
    {
        Run($"*3\r\n$3\r\nSET\r\n$1\r\nn\r\n${stored.Length}\r\n{stored}\r\n");
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Run("INCR n\r\n"));
        Assert.Equal($"${stored.Length}\r\n{stored}\r\n", Run("GET n\r\n"));
    }

    [Fact]
    public void Incr_takes_canonical_integers_to_the_edges_of_64_bits_and_names_overflow()
    {
        Run($"SET n {long.MinValue}\r\n");
        Assert.Equal($":{long.MinValue + 1}\r\n", Run("INCR n\r\n"));
        Run("SET n -1\r\n");
        Assert.Equal(":0\r\n", Run("INCR n\r\n"));
        Assert.Equal(":1\r\n", Run("INCR n\r\n"));
        Run($"SET n {long.MaxValue - 1}\r\n");
        Assert.Equal($":{long.MaxValue}\r\n", Run("INCR n\r\n"));
        Assert.Equal("-ERR increment or decrement would overflow\r\n", Run("INCR n\r\n"));
        Assert.Equal($"${long.MaxValue.ToString().Length}\r\n{long.MaxValue}\r\n", Run("GET n\r\n"));
    }

    [Fact]
    public void Unknown_commands_and_wrong_arity_get_errors_and_keep_the_connection()
    {
        Assert.Equal("-ERR unknown command 'FLY', with args beginning with: 'away' \r\n", Run("FLY away\r\n", out bool close, out _));
        Assert.False(close);
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", Run("GET\r\n", out close, out _));
        Assert.False(close);
    }

    [Fact]
    public void Pipelined_requests_are_all_answered_in_order()
    {
        const string Pipeline = "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\nINCR a\r\nGET a\r\n";
        string reply = Run(Pipeline, out _, out int consumed);
        Assert.Equal("+PONG\r\n+OK\r\n:2\r\n$1\r\n2\r\n", reply);
        Assert.Equal(Pipeline.Length, consumed);
    }

    [Theory]
    [InlineData("*2\r\n$3\r\nGET\r\n$1\r\n")]
    [InlineData("*2\r\n$3\r\nGE")]
    [InlineData("*2\r")]
    [InlineData("PING")]
    public void A_partial_request_consumes_nothing_and_waits(string partial)
    {
        Assert.Equal("", Run(partial, out bool close, out int consumed));
        Assert.False(close);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void A_request_split_at_every_byte_gives_the_same_reply()
    {
        byte[] whole = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n"u8.ToArray();
        var output = new ArrayBufferWriter<byte>();
        var buffered = new List<byte>();
        foreach (byte b in whole)
        {
            buffered.Add(b);
            int consumed = _processor.Process(buffered.ToArray(), output, int.MaxValue, out bool close);
            Assert.False(close);
            buffered.RemoveRange(0, consumed);
        }

        Assert.Empty(buffered);
        Assert.Equal("+OK\r\n$5\r\nvalue\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("*1\r\n$1073741824\r\n", "invalid bulk length")]            // a 1 GiB bulk string, refused up front
    [InlineData("*1\r\n$-5\r\n", "invalid bulk length")]
    [InlineData("*2147483648\r\n", "invalid multibulk length")]
    [InlineData("*1\r\n+PING\r\n", "expected '$'")]
    [InlineData("*x\r\n", "invalid multibulk length")]
    [InlineData("*1\r\n$4\r\nPINGxx", "not followed by CRLF")]
    public void Malformed_or_oversized_requests_get_an_error_and_close(string input, string expected)
    {
        string reply = Run(input, out bool close, out _);
        Assert.StartsWith("-ERR Protocol error", reply);
        Assert.Contains(expected, reply);
        Assert.True(close);
    }

    [Fact]
    public void Many_in_bound_arguments_that_add_up_beyond_the_request_limit_are_refused_before_they_arrive()
    {
        // 1000 arguments of 1 MiB each would be 1 GiB of buffering; the parser refuses at the first one past the limit.
        var header = new StringBuilder("*1000\r\n");
        string argument = new('a', RespLimits.MaxBulkLength);
        header.Append($"${argument.Length}\r\n{argument}\r\n");
        header.Append($"${argument.Length}\r\n");
        string reply = Run(header.ToString(), out bool close, out _);
        Assert.Contains("request too large", reply);
        Assert.True(close);
    }

    [Fact]
    public void An_endless_inline_line_is_refused_once_it_passes_the_inline_limit()
    {
        string reply = Run(new string('A', RespLimits.MaxInlineLength + 1), out bool close, out _);
        Assert.Contains("too big inline request", reply);
        Assert.True(close);
    }

    [Fact]
    public void Quit_replies_ok_and_closes()
    {
        Assert.Equal("+OK\r\n", Run("QUIT\r\n", out bool close, out _));
        Assert.True(close);
    }
}
