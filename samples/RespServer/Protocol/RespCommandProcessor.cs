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
    private readonly RespArguments _arguments = new();

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
            ParseStatus status = RespRequestParser.TryParse(rest, _arguments, out int consumed, out string? error);
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
                quit = _arguments.Count > 0 && Execute(_arguments.Source(request), _arguments.Ranges, output);
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
            if (argc > 3)
            {
                RespReplyWriter.Error(output, "ERR syntax error"); // redis-server's answer to options it does not know; we know none
            }
            else if (CheckArity(name, argc, 3, output))
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
            RespConfigCommand.Execute(request, arguments, output);
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
            RespReplyWriter.Error(output, RespErrorText.UnknownCommand(request, arguments));
        }

        return false;
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
        RespReplyWriter.Error(output, RespErrorText.WrongArity(Encoding.ASCII.GetString(name).ToLowerInvariant()));
}
