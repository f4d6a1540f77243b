using System.Buffers;
using System.Text;
using LinuxIoMux.Samples.RespServer.Storage;

namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// Runs the commands of one connection against the store: every complete request in the input is executed in order
/// and its reply appended to the output (pipelining is just several requests in one read).
/// </summary>
/// <remarks>
/// Commands: PING, ECHO, SET, GET, DEL, INCR, EXISTS, CONFIG GET (save and appendonly, for redis-benchmark),
/// COMMAND (an empty array: redis-cli asks for docs on start), QUIT. Anything else gets
/// <c>-ERR unknown command</c>; a protocol error gets its error reply and closes the connection.
/// </remarks>
internal sealed class RespCommandProcessor : IRequestProcessor
{
    private readonly KeyValueStore _store;
    private readonly Range[] _arguments = new Range[RespLimits.MaxArguments];

    internal RespCommandProcessor(KeyValueStore store)
    {
        _store = store;
    }

    /// <inheritdoc/>
    public int MaxRequestBytes => RespLimits.MaxRequestBytes;

    /// <inheritdoc/>
    /// <remarks>The store may be shared by several loops: each command runs under its lock (uncontended with one loop).</remarks>
    public int Process(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output, int outputLimit, out bool close)
    {
        close = false;
        int total = 0;
        while (total < input.Length && output.WrittenCount < outputLimit)
        {
            ReadOnlySpan<byte> rest = input[total..];
            ParseStatus status = RespRequestParser.TryParse(rest, _arguments, out int count, out int consumed, out string? error);
            if (status == ParseStatus.Incomplete)
            {
                if (rest.Length >= RespLimits.MaxRequestBytes)
                {
                    RespReplyWriter.Error(output, "ERR Protocol error: request too large");
                    close = true;
                    return input.Length;
                }

                break;
            }

            if (status == ParseStatus.Invalid)
            {
                RespReplyWriter.Error(output, error!);
                close = true;
                return input.Length;
            }

            ReadOnlySpan<byte> request = rest[..consumed];
            total += consumed;
            bool quit;
            lock (_store)
            {
                quit = count > 0 && Execute(request, _arguments.AsSpan(0, count), output);
            }

            if (quit)
            {
                close = true;
                return input.Length;
            }
        }

        return total;
    }

    /// <returns>True for QUIT.</returns>
    private bool Execute(ReadOnlySpan<byte> request, ReadOnlySpan<Range> arguments, IBufferWriter<byte> output)
    {
        ReadOnlySpan<byte> name = request[arguments[0]];
        int argc = arguments.Length;
        if (Ascii.EqualsIgnoreCase(name, "GET"u8))
        {
            if (CheckArity(name, argc, 2, output))
            {
                if (_store.TryGet(request[arguments[1]], out byte[] value))
                {
                    RespReplyWriter.BulkString(output, value);
                }
                else
                {
                    RespReplyWriter.NullBulkString(output);
                }
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "SET"u8))
        {
            if (CheckArity(name, argc, 3, output))
            {
                _store.Set(request[arguments[1]], request[arguments[2]]);
                RespReplyWriter.SimpleString(output, "OK"u8);
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "PING"u8))
        {
            if (argc == 1)
            {
                RespReplyWriter.SimpleString(output, "PONG"u8);
            }
            else if (CheckArity(name, argc, 2, output))
            {
                RespReplyWriter.BulkString(output, request[arguments[1]]);
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "ECHO"u8))
        {
            if (CheckArity(name, argc, 2, output))
            {
                RespReplyWriter.BulkString(output, request[arguments[1]]);
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "INCR"u8))
        {
            if (CheckArity(name, argc, 2, output))
            {
                switch (_store.Increment(request[arguments[1]], out long result))
                {
                    case IncrementOutcome.Incremented:
                        RespReplyWriter.Integer(output, result);
                        break;
                    case IncrementOutcome.Overflow:
                        RespReplyWriter.Error(output, "ERR increment or decrement would overflow");
                        break;
                    default:
                        RespReplyWriter.Error(output, "ERR value is not an integer or out of range");
                        break;
                }
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "DEL"u8) || Ascii.EqualsIgnoreCase(name, "EXISTS"u8))
        {
            if (argc < 2)
            {
                WrongArity(name, output);
            }
            else
            {
                bool delete = Ascii.EqualsIgnoreCase(name, "DEL"u8);
                long hits = 0;
                foreach (Range key in arguments[1..])
                {
                    hits += (delete ? _store.Remove(request[key]) : _store.Contains(request[key])) ? 1 : 0;
                }

                RespReplyWriter.Integer(output, hits);
            }
        }
        else if (Ascii.EqualsIgnoreCase(name, "CONFIG"u8))
        {
            WriteConfig(request, arguments, output);
        }
        else if (Ascii.EqualsIgnoreCase(name, "COMMAND"u8))
        {
            // redis-cli asks COMMAND DOCS on start for its hints: an empty array means "no docs".
            RespReplyWriter.ArrayHeader(output, 0);
        }
        else if (Ascii.EqualsIgnoreCase(name, "QUIT"u8))
        {
            RespReplyWriter.SimpleString(output, "OK"u8);
            return true;
        }
        else
        {
            RespReplyWriter.Error(output, $"ERR unknown command '{Printable(name)}'");
        }

        return false;
    }

    /// <summary>
    /// CONFIG GET: redis-benchmark reads "save" and "appendonly" to warn about persistence; they answer as a server
    /// without persistence would ("" and "no"). Any other parameter gets the empty array Redis gives for no match.
    /// </summary>
    private static void WriteConfig(ReadOnlySpan<byte> request, ReadOnlySpan<Range> arguments, IBufferWriter<byte> output)
    {
        if (arguments.Length != 3 || !Ascii.EqualsIgnoreCase(request[arguments[1]], "GET"u8))
        {
            RespReplyWriter.Error(output, "ERR only CONFIG GET <parameter> is supported");
            return;
        }

        ReadOnlySpan<byte> parameter = request[arguments[2]];
        if (Ascii.EqualsIgnoreCase(parameter, "save"u8))
        {
            WritePair(output, parameter, ""u8);
        }
        else if (Ascii.EqualsIgnoreCase(parameter, "appendonly"u8))
        {
            WritePair(output, parameter, "no"u8);
        }
        else
        {
            RespReplyWriter.ArrayHeader(output, 0);
        }
    }

    private static void WritePair(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        RespReplyWriter.ArrayHeader(output, 2);
        RespReplyWriter.BulkString(output, name);
        RespReplyWriter.BulkString(output, value);
    }

    private static bool CheckArity(ReadOnlySpan<byte> name, int argc, int expected, IBufferWriter<byte> output)
    {
        if (argc == expected)
        {
            return true;
        }

        WrongArity(name, output);
        return false;
    }

    private static void WrongArity(ReadOnlySpan<byte> name, IBufferWriter<byte> output) =>
        RespReplyWriter.Error(output, $"ERR wrong number of arguments for '{Printable(name).ToLowerInvariant()}' command");

    /// <summary>The command name for an error message: at most 64 bytes, control characters replaced.</summary>
    private static string Printable(ReadOnlySpan<byte> name)
    {
        ReadOnlySpan<byte> shown = name[..Math.Min(name.Length, 64)];
        var text = new StringBuilder(shown.Length);
        foreach (byte b in shown)
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }

        return text.ToString();
    }
}
