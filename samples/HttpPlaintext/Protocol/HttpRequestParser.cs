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
/// line, header or Content-Length (400), versions other than 1.0 and 1.1 (505).
/// </remarks>
internal static class HttpRequestParser
{
    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    /// <summary>Parses the first request in <paramref name="input"/>.</summary>
    /// <param name="input">Received, unconsumed bytes.</param>
    /// <param name="request">The request, when Complete.</param>
    /// <param name="errorStatus">The status code to answer with, when Invalid.</param>
    internal static HttpParseStatus TryParse(ReadOnlySpan<byte> input, out HttpRequest request, out int errorStatus)
    {
        request = default;
        errorStatus = 0;
        int headerEnd = input.IndexOf(HeaderEnd);
        if (headerEnd < 0)
        {
            if (input.Length > HttpLimits.MaxHeaderBytes)
            {
                errorStatus = 431;
                return HttpParseStatus.Invalid;
            }

            return HttpParseStatus.Incomplete;
        }

        if (headerEnd + HeaderEnd.Length > HttpLimits.MaxHeaderBytes)
        {
            errorStatus = 431;
            return HttpParseStatus.Invalid;
        }

        ReadOnlySpan<byte> head = input[..headerEnd];
        int requestLineEnd = head.IndexOf("\r\n"u8);
        ReadOnlySpan<byte> requestLine = requestLineEnd < 0 ? head : head[..requestLineEnd];
        if (!TryParseRequestLine(requestLine, out Range method, out Range target, out bool http11, out errorStatus))
        {
            return HttpParseStatus.Invalid;
        }

        bool keepAlive = http11;
        long contentLength = 0;
        // With no header lines, head is the request line alone: splitting an empty span would yield one empty "line".
        ReadOnlySpan<byte> headers = requestLineEnd < 0 ? default : head[(requestLineEnd + 2)..];
        foreach (Range lineRange in headers.Split("\r\n"u8))
        {
            if (headers.IsEmpty)
            {
                break;
            }

            ReadOnlySpan<byte> line = headers[lineRange];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].ContainsAny(" \t"u8))
            {
                errorStatus = 400;
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
                    errorStatus = 400;
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

        int length = headerEnd + HeaderEnd.Length + (int)contentLength;
        if (input.Length < length)
        {
            return HttpParseStatus.Incomplete;
        }

        request = new HttpRequest(method, target, keepAlive, length);
        return HttpParseStatus.Complete;
    }

    private static bool TryParseRequestLine(
        ReadOnlySpan<byte> line, out Range method, out Range target, out bool http11, out int errorStatus)
    {
        method = default;
        target = default;
        http11 = false;
        errorStatus = 400;
        int firstSpace = line.IndexOf((byte)' ');
        int lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
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

        method = new Range(0, firstSpace);
        target = new Range(firstSpace + 1, lastSpace);
        if (!IsToken(line[method]) || line[target].IndexOfAny(" \t"u8) >= 0 || line[target.Start] != (byte)'/')
        {
            return false;
        }

        errorStatus = 0;
        return true;
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
