using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>
/// Parses one HTTP/1.x request from the start of a span without allocating: request line, headers up to the blank
/// line, and a Content-Length body (read and discarded). Enough of RFC 9112 for wrk and curl.
/// </summary>
/// <remarks>
/// Refused with a status code and a closed connection: headers longer than <see cref="HttpLimits.MaxHeaderBytes"/>
/// (431), bodies longer than <see cref="HttpLimits.MaxBodyBytes"/> (413), chunked bodies (501), a malformed request
/// line, header or Content-Length (400), a CR anywhere but before an LF (400), versions other than 1.0 and 1.1 (505).
/// Accepted as RFC 9112 allows or requires: empty lines before the request line (ignored), lines ending in LF alone,
/// and a target in absolute form (<c>GET http://host/plaintext</c>, served by its path).
/// </remarks>
internal static class HttpRequestParser
{
    /// <summary>RFC 3986 scheme characters: letters, digits, '+', '-', '.'.</summary>
    private static readonly SearchValues<byte> s_schemeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."u8);

    /// <summary>Parses the first request in <paramref name="input"/>.</summary>
    /// <param name="input">Received, unconsumed bytes.</param>
    /// <param name="request">The request, when Complete.</param>
    /// <param name="errorStatus">The status code to answer with, when Invalid.</param>
    internal static HttpParseStatus TryParse(ReadOnlySpan<byte> input, out HttpRequest request, out int errorStatus)
    {
        request = default;
        errorStatus = 0;

        // RFC 9112 section 2.2: a server SHOULD ignore at least one empty line before the request line (some clients
        // send CRLF after a body). Any number is skipped; they count toward the header limit, so they cannot pile up.
        int start = 0;
        while ((start < input.Length && input[start] == (byte)'\n')
            || (start + 1 < input.Length && input[start] == (byte)'\r' && input[start + 1] == (byte)'\n'))
        {
            start += input[start] == (byte)'\r' ? 2 : 1;
        }

        int headEnd = FindHeadEnd(input, start);
        if (headEnd < 0 ? input.Length > HttpLimits.MaxHeaderBytes : headEnd > HttpLimits.MaxHeaderBytes)
        {
            errorStatus = 431;
            return HttpParseStatus.Invalid;
        }

        if (headEnd < 0)
        {
            return HttpParseStatus.Incomplete;
        }

        int position = start;
        Range requestLine = NextLine(input, ref position);
        if (!TryParseRequestLine(input, requestLine, out Range method, out Range target, out bool http11, out errorStatus))
        {
            return HttpParseStatus.Invalid;
        }

        bool keepAlive = http11;
        long contentLength = 0;
        errorStatus = 400;
        while (true)
        {
            ReadOnlySpan<byte> line = input[NextLine(input, ref position)];
            if (line.IsEmpty)
            {
                break; // the empty line FindHeadEnd found: the head ends here
            }

            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].ContainsAny(" \t"u8) || line.Contains((byte)'\r'))
            {
                return HttpParseStatus.Invalid;
            }

            ReadOnlySpan<byte> name = line[..colon];
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                if (Ascii.EqualsIgnoreCase(value, "close"u8))
                {
                    keepAlive = false;
                }
                else if (Ascii.EqualsIgnoreCase(value, "keep-alive"u8))
                {
                    keepAlive = true;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (!Utf8Parser.TryParse(value, out contentLength, out int used) || used != value.Length || contentLength < 0)
                {
                    return HttpParseStatus.Invalid;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                errorStatus = 501;
                return HttpParseStatus.Invalid;
            }
        }

        if (contentLength > HttpLimits.MaxBodyBytes)
        {
            errorStatus = 413;
            return HttpParseStatus.Invalid;
        }

        errorStatus = 0;
        int length = headEnd + (int)contentLength;
        if (input.Length < length)
        {
            return HttpParseStatus.Incomplete;
        }

        request = new HttpRequest(method, target, keepAlive, !http11, length);
        return HttpParseStatus.Complete;
    }

    /// <summary>
    /// The index just past the empty line that ends the head starting at <paramref name="start"/>, or -1 while it has
    /// not arrived. Lines end in LF with an optional CR before it: RFC 9112 section 2.2 lets a recipient take a lone LF
    /// as the terminator, and a parser that insists on CRLF CRLF leaves an LF-only client waiting for the timeout.
    /// </summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> input, int start)
    {
        int position = start;
        while (true)
        {
            int newline = input[position..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return -1;
            }

            bool empty = newline == 0 || (newline == 1 && input[position] == (byte)'\r');
            position += newline + 1;
            if (empty)
            {
                return position; // never the request line: TryParse skipped the empty lines before it
            }
        }
    }

    /// <summary>
    /// The line at <paramref name="position"/> without its CRLF or LF, and moves past it. Only called within the head
    /// that <see cref="FindHeadEnd"/> found, so the LF is there.
    /// </summary>
    private static Range NextLine(ReadOnlySpan<byte> input, ref int position)
    {
        int newline = input[position..].IndexOf((byte)'\n');
        int lineStart = position;
        int lineEnd = position + newline;
        position = lineEnd + 1;
        return new Range(lineStart, lineEnd > lineStart && input[lineEnd - 1] == (byte)'\r' ? lineEnd - 1 : lineEnd);
    }

    private static bool TryParseRequestLine(
        ReadOnlySpan<byte> input, Range lineRange, out Range method, out Range target, out bool http11, out int errorStatus)
    {
        method = default;
        target = default;
        http11 = false;
        errorStatus = 400;
        int offset = lineRange.Start.Value;
        ReadOnlySpan<byte> line = input[lineRange];
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1 || line.Contains((byte)'\r'))
        {
            return false;
        }

        ReadOnlySpan<byte> version = line[(lastSpace + 1)..];
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            http11 = true;
        }
        else if (!version.SequenceEqual("HTTP/1.0"u8))
        {
            errorStatus = version.StartsWith("HTTP/"u8) ? 505 : 400;
            return false;
        }

        ReadOnlySpan<byte> targetText = line[(firstSpace + 1)..lastSpace];
        if (!IsToken(line[..firstSpace]) || targetText.IndexOfAny(" \t"u8) >= 0 || !TryFindPath(targetText, out int pathStart))
        {
            return false;
        }

        method = new Range(offset, offset + firstSpace);
        target = new Range(offset + firstSpace + 1 + pathStart, offset + lastSpace);
        errorStatus = 0;
        return true;
    }

    /// <summary>
    /// Where the path starts in a request target: 0 in origin form ("/plaintext"); after the authority in absolute
    /// form ("http://host:8080/plaintext", RFC 9112 section 3.2.2: a server MUST accept it, as proxies send it), where
    /// the path may be empty (then it means "/"). Other forms are refused.
    /// </summary>
    private static bool TryFindPath(ReadOnlySpan<byte> target, out int pathStart)
    {
        pathStart = 0;
        if (!target.IsEmpty && target[0] == (byte)'/')
        {
            return true;
        }

        // absolute-URI with an authority: scheme "://" authority [path-abempty] ["?" query] (RFC 3986 section 3).
        int schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd <= 0 || !char.IsAsciiLetter((char)target[0]) || target[..schemeEnd].IndexOfAnyExcept(s_schemeCharacters) >= 0)
        {
            return false;
        }

        int authorityStart = schemeEnd + 3;
        int authorityLength = target[authorityStart..].IndexOfAny("/?"u8);
        if (authorityLength < 0)
        {
            authorityLength = target.Length - authorityStart;
        }

        pathStart = authorityStart + authorityLength;
        return authorityLength > 0;
    }

    /// <summary>RFC 9110 token characters: letters, digits and !#$%&amp;'*+-.^_`|~.</summary>
    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }
}
