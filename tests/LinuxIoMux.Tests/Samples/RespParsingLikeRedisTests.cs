using System.Buffers;
using System.Text;
using LinuxIoMux.Samples.RespServer.Protocol;
using LinuxIoMux.Samples.RespServer.Storage;

namespace LinuxIoMux.Tests.Samples;

/// <summary>
/// Issue 9 defect 10, without sockets: RespServer's parser and error texts against redis-server 7's, as observed on
/// Debian's redis-server 7.0.15 (Differential/RespServerVsRedisTests compares the two servers live).
/// </summary>
public class RespParsingLikeRedisTests
{
    private readonly RespCommandProcessor _processor = new(new KeyValueStore());

    private string Run(string input, out bool close)
    {
        var output = new ArrayBufferWriter<byte>();
        _processor.Process(Encoding.Latin1.GetBytes(input), output, int.MaxValue, out close);
        return Encoding.Latin1.GetString(output.WrittenSpan);
    }

    private string Run(string input) => Run(input, out _);

    [Theory]
    [InlineData("*1\r\n$+4\r\nPING\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$04\r\nPING\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$-0\r\n", "invalid bulk length")]
    [InlineData("*1\r\n$ 4\r\nPING\r\n", "invalid bulk length")]
    [InlineData("*+1\r\n$4\r\nPING\r\n", "invalid multibulk length")]
    [InlineData("*01\r\n$4\r\nPING\r\n", "invalid multibulk length")]
    public void Lengths_that_are_not_canonical_integers_are_protocol_errors(string input, string error)
    {
        Assert.Equal($"-ERR Protocol error: {error}\r\n", Run(input, out bool close));
        Assert.True(close);
    }

    [Fact]
    public void A_del_of_thousands_of_keys_is_answered_not_refused()
    {
        foreach (int keys in new[] { 1100, 20_000 })
        {
            var request = new StringBuilder($"*{keys + 1}\r\n$3\r\nDEL\r\n");
            for (int i = 0; i < keys; i++)
            {
                request.Append($"${$"key:{i}".Length}\r\nkey:{i}\r\n");
            }

            Run("SET key:7 x\r\n");
            Assert.Equal(":1\r\n", Run(request.ToString(), out bool close));
            Assert.False(close);
        }
    }

    [Theory]
    [InlineData("ECHO \"hello world\"\r\n", "hello world")]
    [InlineData("ECHO 'hello world'\r\n", "hello world")]
    [InlineData("ECHO a\"b c\"\r\n", "ab c")]
    [InlineData("ECHO \"a\\x41\\n\\t\\\\\\\"\\q\"\r\n", "aA\n\t\\\"q")]
    [InlineData("ECHO 'it\\'s'\r\n", "it's")]
    [InlineData("ECHO \"\"\r\n", "")]
    [InlineData("ECHO \"\\x4\"\r\n", "x4")]
    [InlineData("ECHO\ta\vb\r\n", "a\vb")]
    [InlineData("\vECHO \fb\r\n", "b")]
    [InlineData("ECHO x\r\r\n", "x")]
    public void Inline_arguments_are_split_and_unquoted_as_redis_does(string line, string argument)
    {
        Assert.Equal($"${argument.Length}\r\n{argument}\r\n", Run(line));
    }

    [Theory]
    [InlineData("ECHO \"a\"b\r\n")]
    [InlineData("ECHO \"open\r\n")]
    [InlineData("ECHO 'open\r\n")]
    [InlineData("ECHO 'a'b\r\n")]
    public void Unbalanced_quotes_are_a_protocol_error(string line)
    {
        Assert.Equal("-ERR Protocol error: unbalanced quotes in request\r\n", Run(line, out bool close));
        Assert.True(close);
    }

    [Fact]
    public void Unknown_commands_quote_name_and_arguments_as_redis_does()
    {
        Assert.Equal("-ERR unknown command 'fly', with args beginning with: 'a' 'b' 'c' \r\n", Run("fly a b c\r\n"));
        string y100 = new('y', 100);
        Assert.Equal($"-ERR unknown command 'FLY', with args beginning with: '{y100}' '{new string('y', 25)}' \r\n",
            Run($"FLY {y100} {y100} z\r\n"));
        Assert.Equal($"-ERR unknown command '{new string('C', 128)}', with args beginning with: \r\n", Run(new string('C', 200) + "\r\n"));
        Assert.Equal("-ERR unknown command 'f y', with args beginning with: 'a' \r\n", Run("*2\r\n$3\r\nf\ry\r\n$3\r\na\0b\r\n"));
        Assert.Equal("-ERR unknown command 'f\xe9', with args beginning with: \r\n", Run("*1\r\n$2\r\nf\xe9\r\n"));
    }

    [Fact]
    public void A_protocol_error_that_quotes_a_cr_stays_one_line()
    {
        Assert.Equal("-ERR Protocol error: expected '$', got ' '\r\n", Run("*1\r\n\r\n", out bool close));
        Assert.True(close);
    }

    [Fact]
    public void Header_lines_wait_for_their_cr_as_long_as_redis_waits_then_are_refused()
    {
        Assert.Equal("", Run("*" + new string('1', 40), out bool close));
        Assert.False(close);
        Assert.Equal("-ERR Protocol error: invalid multibulk length\r\n", Run("*" + new string('1', 40) + "\r\n"));
        Assert.Equal("-ERR Protocol error: too big mbulk count string\r\n", Run("*" + new string('1', RespLimits.MaxInlineLength + 1)));
        Assert.Equal("-ERR Protocol error: too big bulk count string\r\n", Run("*1\r\n" + new string('x', RespLimits.MaxInlineLength + 1)));
        Assert.Equal("", Run("*1\r\n+PING", out close)); // the '$' is checked once its line is whole
        Assert.False(close);
    }

    [Fact]
    public void Config_set_options_and_arity_errors_use_redis_texts()
    {
        Assert.Equal("-ERR wrong number of arguments for 'config' command\r\n", Run("CONFIG\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'config|get' command\r\n", Run("CONFIG GET\r\n"));
        Assert.Equal("-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n", Run("CONFIG FOO\r\n"));
        Assert.Equal("*2\r\n$4\r\nSAVE\r\n$0\r\n\r\n", Run("CONFIG GET SAVE save\r\n"));
        Assert.Equal("-ERR syntax error\r\n", Run("SET k v x\r\n"));
        Assert.Equal("-ERR wrong number of arguments for 'set' command\r\n", Run("SET k\r\n"));
    }
}
