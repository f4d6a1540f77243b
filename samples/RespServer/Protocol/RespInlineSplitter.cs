namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// Splits an inline command line (<c>SET q "hello world"</c>, what people type into telnet) into arguments the way
/// redis-server does (its sdssplitargs), so that quoting means the same here as there.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Arguments are separated by space, tab, CR or LF; before an argument, vertical tab and form feed are skipped too.</item>
/// <item>"double quotes" take the escapes \n \r \t \b \a, \xHH (two hex digits) and \ before any other byte (that byte).</item>
/// <item>'single quotes' take only \' as an escape.</item>
/// <item>A quote may open in the middle of an argument (<c>a"b c"</c> is one argument, <c>ab c</c>); a closing quote
/// must be followed by a separator or the end of the line, and a quote left open is an error.</item>
/// <item>"" and '' give an empty argument.</item>
/// </list>
/// Decoding only ever shortens, so the output needs at most the line's length.
/// </remarks>
internal static class RespInlineSplitter
{
    /// <summary>Splits <paramref name="line"/> (without its line end) into <paramref name="arguments"/>.</summary>
    /// <param name="line">The command line.</param>
    /// <param name="arguments">Receives ranges into its <see cref="RespArguments.InlineBuffer"/>, which must hold the line.</param>
    /// <returns>False for unbalanced quotes (redis-server: "Protocol error: unbalanced quotes in request").</returns>
    internal static bool TrySplit(ReadOnlySpan<byte> line, RespArguments arguments)
    {
        Span<byte> output = arguments.InlineBuffer;
        int written = 0;
        int p = 0;
        while (true)
        {
            while (p < line.Length && IsSpace(line[p]))
            {
                p++;
            }

            if (p == line.Length)
            {
                return true;
            }

            int start = written;
            if (!TryReadArgument(line, ref p, output, ref written))
            {
                return false;
            }

            arguments.Add(new Range(start, written));
        }
    }

    /// <summary>One argument from <paramref name="p"/> on; leaves <paramref name="p"/> after the separator that ended it.</summary>
    private static bool TryReadArgument(ReadOnlySpan<byte> line, ref int p, Span<byte> output, ref int written)
    {
        bool inDoubleQuotes = false;
        bool inSingleQuotes = false;
        while (true)
        {
            byte next = p + 1 < line.Length ? line[p + 1] : (byte)0;
            if (inDoubleQuotes)
            {
                if (p == line.Length)
                {
                    return false; // the line ended inside the quotes
                }

                byte b = line[p];
                if (b == (byte)'\\' && next == (byte)'x' && p + 3 < line.Length && IsHex(line[p + 2]) && IsHex(line[p + 3]))
                {
                    output[written++] = (byte)(HexValue(line[p + 2]) * 16 + HexValue(line[p + 3]));
                    p += 4;
                    continue;
                }

                if (b == (byte)'\\' && p + 1 < line.Length)
                {
                    output[written++] = next switch
                    {
                        (byte)'n' => (byte)'\n',
                        (byte)'r' => (byte)'\r',
                        (byte)'t' => (byte)'\t',
                        (byte)'b' => (byte)'\b',
                        (byte)'a' => (byte)'\a',
                        _ => next,
                    };
                    p += 2;
                    continue;
                }

                if (b == (byte)'"')
                {
                    // "a"b is refused rather than read as one argument: the closing quote must end it.
                    p++;
                    return EndsArgument(line, ref p);
                }

                output[written++] = b;
                p++;
            }
            else if (inSingleQuotes)
            {
                if (p == line.Length)
                {
                    return false;
                }

                byte b = line[p];
                if (b == (byte)'\\' && next == (byte)'\'')
                {
                    output[written++] = (byte)'\'';
                    p += 2;
                    continue;
                }

                if (b == (byte)'\'')
                {
                    p++;
                    return EndsArgument(line, ref p);
                }

                output[written++] = b;
                p++;
            }
            else
            {
                if (p == line.Length)
                {
                    return true;
                }

                byte b = line[p++];
                switch (b)
                {
                    case (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t':
                        return true;
                    case (byte)'"':
                        inDoubleQuotes = true;
                        break;
                    case (byte)'\'':
                        inSingleQuotes = true;
                        break;
                    default:
                        output[written++] = b;
                        break;
                }
            }
        }
    }

    /// <summary>After a closing quote: the line must end or a space follow (which is consumed).</summary>
    private static bool EndsArgument(ReadOnlySpan<byte> line, ref int p)
    {
        if (p == line.Length)
        {
            return true;
        }

        if (!IsSpace(line[p]))
        {
            return false;
        }

        p++;
        return true;
    }

    /// <summary>C's isspace in the "C" locale: space, \t, \n, \v, \f, \r.</summary>
    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
