using System.Buffers;

namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>
/// Answers every complete request at the start of a connection's input, in order (HTTP/1.1 pipelining):
/// <c>GET /plaintext</c> gets <c>Hello, World!</c>, other paths 404, other methods 405, bad requests their 4xx/5xx and
/// a closed connection.
/// </summary>
internal sealed class HttpConnectionProcessor : IRequestProcessor
{
    private static ReadOnlySpan<byte> Body => "Hello, World!"u8;

    private static ReadOnlySpan<byte> ConnectionClose => "Connection: close\r\n"u8;

    private static ReadOnlySpan<byte> ConnectionKeepAlive => "Connection: keep-alive\r\n"u8;

    private readonly HttpDate _date;

    internal HttpConnectionProcessor(HttpDate date)
    {
        _date = date;
    }

    /// <inheritdoc/>
    public int MaxRequestBytes => HttpLimits.MaxRequestBytes;

    /// <inheritdoc/>
    public int Process(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output, int outputLimit, out bool close)
    {
        close = false;
        int total = 0;
        while (total < input.Length && output.WrittenCount < outputLimit)
        {
            ReadOnlySpan<byte> rest = input[total..];
            HttpParseStatus status = HttpRequestParser.TryParse(rest, out HttpRequest request, out int errorStatus);
            if (status == HttpParseStatus.Incomplete)
            {
                break;
            }

            if (status == HttpParseStatus.Invalid)
            {
                WriteResponse(output, errorStatus, ConnectionClose, default);
                close = true;
                return input.Length;
            }

            ReadOnlySpan<byte> method = rest[request.Method];
            ReadOnlySpan<byte> target = rest[request.Target];
            // HTTP/1.1 is persistent unless told otherwise; HTTP/1.0 only when the request asked, and then the response
            // has to confirm it, or an HTTP/1.0 client waits for a close that never comes (RFC 9112 section 9.3).
            ReadOnlySpan<byte> connection = !request.KeepAlive ? ConnectionClose : request.IsHttp10 ? ConnectionKeepAlive : default;
            if (!method.SequenceEqual("GET"u8))
            {
                WriteResponse(output, 405, connection, default);
            }
            else if (target.SequenceEqual("/plaintext"u8))
            {
                WriteResponse(output, 200, connection, Body);
            }
            else
            {
                WriteResponse(output, 404, connection, default);
            }

            total += request.Length;
            if (!request.KeepAlive)
            {
                close = true;
                return total;
            }
        }

        return total;
    }

    private void WriteResponse(IBufferWriter<byte> output, int status, ReadOnlySpan<byte> connectionHeader, ReadOnlySpan<byte> body)
    {
        output.Write(StatusLine(status));
        output.Write("Server: LinuxIoMux\r\nContent-Type: text/plain\r\nDate: "u8);
        output.Write(_date.Current);
        output.Write("\r\nContent-Length: "u8);
        Span<byte> digits = output.GetSpan(12);
        body.Length.TryFormat(digits, out int written);
        output.Advance(written);
        output.Write("\r\n"u8);
        output.Write(connectionHeader);
        output.Write("\r\n"u8);
        output.Write(body);
    }

    private static ReadOnlySpan<byte> StatusLine(int status) => status switch
    {
        200 => "HTTP/1.1 200 OK\r\n"u8,
        400 => "HTTP/1.1 400 Bad Request\r\n"u8,
        404 => "HTTP/1.1 404 Not Found\r\n"u8,
        405 => "HTTP/1.1 405 Method Not Allowed\r\n"u8,
        413 => "HTTP/1.1 413 Content Too Large\r\n"u8,
        431 => "HTTP/1.1 431 Request Header Fields Too Large\r\n"u8,
        501 => "HTTP/1.1 501 Not Implemented\r\n"u8,
        505 => "HTTP/1.1 505 HTTP Version Not Supported\r\n"u8,
        _ => "HTTP/1.1 500 Internal Server Error\r\n"u8,
    };
}
