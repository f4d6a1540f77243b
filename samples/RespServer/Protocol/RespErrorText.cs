using System.Text;

namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// The texts of redis-server 7's command errors, built the way it builds them, so a client (or a test comparing the
/// two servers) sees the same bytes. Client bytes are quoted raw, as C's "%.128s" quotes them: cut at 128 bytes or at
/// a NUL. <see cref="RespReplyWriter.Error"/> then writes each char as one byte and turns CR and LF into spaces, as
/// redis-server does, so no client byte can end the error line early.
/// </summary>
internal static class RespErrorText
{
    /// <summary>How much of a client's bytes an error quotes (redis-server's "%.128s").</summary>
    private const int QuotedBytes = 128;

    /// <summary>
    /// "ERR unknown command 'NAME', with args beginning with: 'a' 'b' ": the arguments are quoted one by one while
    /// fewer than 128 bytes of them have been written, each cut to what is left of those 128.
    /// </summary>
    internal static string UnknownCommand(ReadOnlySpan<byte> request, ReadOnlySpan<Range> arguments)
    {
        var text = new StringBuilder("ERR unknown command '");
        AppendQuoted(text, request[arguments[0]], QuotedBytes);
        text.Append("', with args beginning with: ");
        int argumentsStart = text.Length;
        for (int i = 1; i < arguments.Length && text.Length - argumentsStart < QuotedBytes; i++)
        {
            text.Append('\'');
            AppendQuoted(text, request[arguments[i]], QuotedBytes - (text.Length - 1 - argumentsStart));
            text.Append("' ");
        }

        return text.ToString();
    }

    /// <summary>"ERR wrong number of arguments for 'get' command": the command's own lower-case name, never the client's bytes.</summary>
    internal static string WrongArity(string command) => $"ERR wrong number of arguments for '{command}' command";

    /// <summary>"ERR unknown subcommand 'FOO'. Try CONFIG HELP."</summary>
    internal static string UnknownSubcommand(ReadOnlySpan<byte> subcommand, string command)
    {
        var text = new StringBuilder("ERR unknown subcommand '");
        AppendQuoted(text, subcommand, QuotedBytes);
        return text.Append($"'. Try {command} HELP.").ToString();
    }

    /// <summary>Appends up to <paramref name="max"/> bytes, stopping at a NUL, one char per byte (Latin-1).</summary>
    private static void AppendQuoted(StringBuilder text, ReadOnlySpan<byte> bytes, int max)
    {
        int nul = bytes.IndexOf((byte)0);
        ReadOnlySpan<byte> shown = bytes[..Math.Min(nul < 0 ? bytes.Length : nul, max)];
        foreach (byte b in shown)
        {
            text.Append((char)b);
        }
    }
}
