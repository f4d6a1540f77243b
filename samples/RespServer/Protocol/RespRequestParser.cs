using System.Buffers.Text;

namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// Parses one RESP2 request from the start of a byte span without allocating: either a multibulk array of bulk strings
/// (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>, what clients send) or an inline command (<c>PING\r\n</c>, what people
/// type into telnet). Arguments come back as ranges into the input.
/// </summary>
/// <remarks>
/// Every length is checked against <see cref="RespLimits"/> as soon as it is read, so an oversized request is refused
/// before its bytes arrive, and a header line with no end is refused after <see cref="RespLimits.MaxHeaderLineLength"/>
/// bytes: the caller never buffers more than <see cref="RespLimits.MaxRequestBytes"/> for one request.
/// </remarks>
internal static class RespRequestParser
{
    /// <summary>Parses the first request in <paramref name="input"/>.</summary>
    /// <param name="input">Bytes received and not yet consumed.</param>
    /// <param name="arguments">Receives one range per argument; at least <see cref="RespLimits.MaxArguments"/> long.</param>
    /// <param name="argumentCount">The number of arguments (0 for an empty request, which is a no-op).</param>
    /// <param name="consumed">Bytes the request occupies, when Complete.</param>
    /// <param name="error">The error reply text, when Invalid.</param>
    internal static ParseStatus TryParse(
        ReadOnlySpan<byte> input, Span<Range> arguments, out int argumentCount, out int consumed, out string? error)
    {
        argumentCount = 0;
        consumed = 0;
        error = null;
        if (input.IsEmpty)
        {
            return ParseStatus.Incomplete;
        }

        return input[0] == (byte)'*'
            ? ParseMultibulk(input, arguments, out argumentCount, out consumed, out error)
            : ParseInline(input, arguments, out argumentCount, out consumed, out error);
    }

    private static ParseStatus ParseMultibulk(
        ReadOnlySpan<byte> input, Span<Range> arguments, out int argumentCount, out int consumed, out string? error)
    {
        argumentCount = 0;
        consumed = 0;
        ParseStatus status = ReadNumberLine(input, 1, out long count, out int position, out error);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        if (count > RespLimits.MaxArguments)
        {
            error = "ERR Protocol error: invalid multibulk length";
            return ParseStatus.Invalid;
        }

        // Redis treats *0 and *-1 as an empty request and skips it.
        for (int i = 0; i < count; i++)
        {
            if (position >= input.Length)
            {
                return ParseStatus.Incomplete;
            }

            if (input[position] != (byte)'$')
            {
                error = $"ERR Protocol error: expected '$', got '{(char)input[position]}'";
                return ParseStatus.Invalid;
            }

            status = ReadNumberLine(input[position..], 1, out long length, out int headerLength, out error);
            if (status != ParseStatus.Complete)
            {
                return status;
            }

            if (length < 0 || length > RespLimits.MaxBulkLength)
            {
                error = "ERR Protocol error: invalid bulk length";
                return ParseStatus.Invalid;
            }

            int start = position + headerLength;
            int end = start + (int)length;
            if (end + 2 > RespLimits.MaxRequestBytes)
            {
                // Each argument is within bounds but together they are not: refuse before buffering them.
                error = "ERR Protocol error: request too large";
                return ParseStatus.Invalid;
            }

            if (end + 2 > input.Length)
            {
                return ParseStatus.Incomplete;
            }

            if (input[end] != (byte)'\r' || input[end + 1] != (byte)'\n')
            {
                error = "ERR Protocol error: bulk string not followed by CRLF";
                return ParseStatus.Invalid;
            }

            arguments[i] = new Range(start, end);
            position = end + 2;
        }

        argumentCount = (int)Math.Max(0, count);
        consumed = position;
        return ParseStatus.Complete;
    }

    private static ParseStatus ParseInline(
        ReadOnlySpan<byte> input, Span<Range> arguments, out int argumentCount, out int consumed, out string? error)
    {
        argumentCount = 0;
        consumed = 0;
        error = null;
        int newline = input.IndexOf((byte)'\n');
        if (newline < 0)
        {
            if (input.Length > RespLimits.MaxInlineLength)
            {
                error = "ERR Protocol error: too big inline request";
                return ParseStatus.Invalid;
            }

            return ParseStatus.Incomplete;
        }

        int lineEnd = newline > 0 && input[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        int position = 0;
        while (position < lineEnd)
        {
            while (position < lineEnd && IsBlank(input[position]))
            {
                position++;
            }

            int start = position;
            while (position < lineEnd && !IsBlank(input[position]))
            {
                position++;
            }

            if (position > start)
            {
                if (argumentCount == RespLimits.MaxArguments)
                {
                    error = "ERR Protocol error: too many arguments in inline request";
                    return ParseStatus.Invalid;
                }

                arguments[argumentCount++] = new Range(start, position);
            }
        }

        consumed = newline + 1;
        return ParseStatus.Complete;
    }

    /// <summary>Reads "&lt;prefix&gt;&lt;integer&gt;\r\n" after a one-byte prefix.</summary>
    private static ParseStatus ReadNumberLine(
        ReadOnlySpan<byte> input, int prefixLength, out long value, out int lineLength, out string? error)
    {
        value = 0;
        lineLength = 0;
        error = null;
        int searched = Math.Min(input.Length, RespLimits.MaxHeaderLineLength);
        int cr = input[..searched].IndexOf((byte)'\r');
        if (cr < 0)
        {
            if (input.Length >= RespLimits.MaxHeaderLineLength)
            {
                error = "ERR Protocol error: length line too long";
                return ParseStatus.Invalid;
            }

            return ParseStatus.Incomplete;
        }

        if (cr + 1 >= input.Length)
        {
            return ParseStatus.Incomplete;
        }

        ReadOnlySpan<byte> digits = input[prefixLength..cr];
        if (input[cr + 1] != (byte)'\n' || digits.IsEmpty
            || !Utf8Parser.TryParse(digits, out value, out int used) || used != digits.Length)
        {
            error = "ERR Protocol error: invalid length";
            return ParseStatus.Invalid;
        }

        lineLength = cr + 2;
        return ParseStatus.Complete;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r';
}
