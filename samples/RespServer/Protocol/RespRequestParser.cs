namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// Parses one RESP2 request from the start of a byte span without allocating: either a multibulk array of bulk strings
/// (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>, what clients send) or an inline command (<c>PING\r\n</c>, what people
/// type into telnet), with redis-server 7's rules and error texts.
/// </summary>
/// <remarks>
/// <para>As redis-server: counts and lengths are canonical integers (<see cref="RespInteger"/>: "$+4" and "$04" are
/// invalid bulk lengths); a count above 2^31 - 1 is invalid, one of 0 or less is an empty request; a "*" or "$" line
/// may run <see cref="RespLimits.MaxInlineLength"/> bytes before its CR, and the '$' is checked once its line is
/// whole; inline lines are split by <see cref="RespInlineSplitter"/>.</para>
/// <para>Stricter than redis-server (listed in samples/RespServer/README.md): a bulk longer than
/// <see cref="RespLimits.MaxBulkLength"/>, or a request whose arguments add up beyond
/// <see cref="RespLimits.MaxRequestBytes"/>, is refused as soon as its length is read, so the caller never buffers
/// more; and the line ends must really be CRLF (redis-server skips the two bytes after a bulk, and the byte after a
/// header line's CR, whatever they are).</para>
/// </remarks>
internal static class RespRequestParser
{
    /// <summary>Parses the first request in <paramref name="input"/>.</summary>
    /// <param name="input">Bytes received and not yet consumed.</param>
    /// <param name="arguments">Receives the arguments (cleared first).</param>
    /// <param name="consumed">Bytes the request occupies, when Complete.</param>
    /// <param name="error">The error reply text, when Invalid.</param>
    internal static ParseStatus TryParse(ReadOnlySpan<byte> input, RespArguments arguments, out int consumed, out string? error)
    {
        consumed = 0;
        error = null;
        bool multibulk = !input.IsEmpty && input[0] == (byte)'*';
        arguments.Clear(inline: !multibulk);
        if (input.IsEmpty)
        {
            return ParseStatus.Incomplete;
        }

        return multibulk ? ParseMultibulk(input, arguments, out consumed, out error) : ParseInline(input, arguments, out consumed, out error);
    }

    private static ParseStatus ParseMultibulk(ReadOnlySpan<byte> input, RespArguments arguments, out int consumed, out string? error)
    {
        consumed = 0;
        ParseStatus status = ReadLengthLine(input, "too big mbulk count string", out int countLineEnd, out error);
        if (status != ParseStatus.Complete)
        {
            return status;
        }

        if (!RespInteger.TryParse(input[1..(countLineEnd - 2)], out long count) || count > int.MaxValue
            || input[countLineEnd - 1] != (byte)'\n')
        {
            error = "ERR Protocol error: invalid multibulk length";
            return ParseStatus.Invalid;
        }

        int position = countLineEnd;
        for (long i = 0; i < count; i++) // none for *0 and *-1: an empty request, skipped as Redis does
        {
            status = ReadLengthLine(input[position..], "too big bulk count string", out int lineLength, out error);
            if (status != ParseStatus.Complete)
            {
                return status;
            }

            ReadOnlySpan<byte> line = input.Slice(position, lineLength);
            if (line[0] != (byte)'$')
            {
                error = $"ERR Protocol error: expected '$', got '{(char)line[0]}'";
                return ParseStatus.Invalid;
            }

            if (!RespInteger.TryParse(line[1..^2], out long length) || length < 0 || length > RespLimits.MaxBulkLength
                || line[^1] != (byte)'\n')
            {
                error = "ERR Protocol error: invalid bulk length";
                return ParseStatus.Invalid;
            }

            int start = position + lineLength;
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

            arguments.Add(new Range(start, end));
            position = end + 2;
        }

        consumed = position;
        return ParseStatus.Complete;
    }

    private static ParseStatus ParseInline(ReadOnlySpan<byte> input, RespArguments arguments, out int consumed, out string? error)
    {
        consumed = 0;
        error = null;
        int newline = input.IndexOf((byte)'\n');
        if (newline < 0 ? input.Length > RespLimits.MaxInlineLength : newline > RespLimits.MaxInlineLength)
        {
            error = "ERR Protocol error: too big inline request";
            return ParseStatus.Invalid;
        }

        if (newline < 0)
        {
            return ParseStatus.Incomplete;
        }

        int lineEnd = newline > 0 && input[newline - 1] == (byte)'\r' ? newline - 1 : newline;
        if (!RespInlineSplitter.TrySplit(input[..lineEnd], arguments))
        {
            error = "ERR Protocol error: unbalanced quotes in request";
            return ParseStatus.Invalid;
        }

        consumed = newline + 1;
        return ParseStatus.Complete;
    }

    /// <summary>
    /// Finds the end of a "*count" or "$length" line: the index after its CR and the byte that follows it. Like
    /// redis-server, waits up to <see cref="RespLimits.MaxInlineLength"/> bytes for the CR, then refuses.
    /// </summary>
    private static ParseStatus ReadLengthLine(ReadOnlySpan<byte> input, string tooLongError, out int lineLength, out string? error)
    {
        lineLength = 0;
        error = null;
        int cr = input.IndexOf((byte)'\r');
        if (cr < 0)
        {
            if (input.Length > RespLimits.MaxInlineLength)
            {
                error = "ERR Protocol error: " + tooLongError;
                return ParseStatus.Invalid;
            }

            return ParseStatus.Incomplete;
        }

        if (cr + 1 >= input.Length)
        {
            return ParseStatus.Incomplete;
        }

        lineLength = cr + 2;
        return ParseStatus.Complete;
    }
}
