using System.Buffers;
using System.Text;

namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// CONFIG GET as far as redis-benchmark needs it: it reads "save" and "appendonly" to warn about persistence, and they
/// answer as a redis-server without persistence does ("" and "no"). Any other parameter gets the empty array Redis
/// gives for no match; other subcommands, and CONFIG GET without a parameter, get redis-server's errors.
/// </summary>
internal static class RespConfigCommand
{
    /// <summary>Answers one CONFIG request.</summary>
    /// <param name="request">The bytes the argument ranges index.</param>
    /// <param name="arguments">CONFIG and its arguments.</param>
    /// <param name="output">Where the reply goes.</param>
    internal static void Execute(ReadOnlySpan<byte> request, ReadOnlySpan<Range> arguments, IBufferWriter<byte> output)
    {
        if (arguments.Length < 2)
        {
            RespReplyWriter.Error(output, RespErrorText.WrongArity("config"));
            return;
        }

        if (!Ascii.EqualsIgnoreCase(request[arguments[1]], "GET"u8))
        {
            RespReplyWriter.Error(output, RespErrorText.UnknownSubcommand(request[arguments[1]], "CONFIG"));
            return;
        }

        if (arguments.Length < 3)
        {
            RespReplyWriter.Error(output, RespErrorText.WrongArity("config|get"));
            return;
        }

        // Each known parameter once, named as asked (redis-server echoes the caller's spelling), in the order asked.
        int saveAt = -1;
        int appendOnlyAt = -1;
        for (int i = 2; i < arguments.Length; i++)
        {
            ReadOnlySpan<byte> parameter = request[arguments[i]];
            if (saveAt < 0 && Ascii.EqualsIgnoreCase(parameter, "save"u8))
            {
                saveAt = i;
            }
            else if (appendOnlyAt < 0 && Ascii.EqualsIgnoreCase(parameter, "appendonly"u8))
            {
                appendOnlyAt = i;
            }
        }

        RespReplyWriter.ArrayHeader(output, (saveAt < 0 ? 0 : 2) + (appendOnlyAt < 0 ? 0 : 2));
        for (int i = 2; i < arguments.Length; i++)
        {
            if (i == saveAt)
            {
                WritePair(output, request[arguments[i]], ""u8);
            }
            else if (i == appendOnlyAt)
            {
                WritePair(output, request[arguments[i]], "no"u8);
            }
        }
    }

    private static void WritePair(IBufferWriter<byte> output, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        RespReplyWriter.BulkString(output, name);
        RespReplyWriter.BulkString(output, value);
    }
}
