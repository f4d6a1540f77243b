using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>
/// Reads HTTP/1.1 responses off a stream exactly as they came over the wire (framing by Content-Length or chunked
/// encoding), so two transports' answers can be compared byte for byte. The Date header's value is the only part
/// normalised; a response over 64 KiB is summarised as its head plus the body's length and SHA-256.
/// </summary>
internal sealed partial class HttpWire(Stream stream)
{
    private const int SummariseAbove = 64 * 1024;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>One whole response, raw (Date normalised), or null when the peer closed before sending one.</summary>
    public string? ReadResponse()
    {
        string? head = ReadHead();
        if (head is null)
        {
            return null;
        }

        using var raw = new MemoryStream();
        Match length = ContentLength().Match(head);
        if (length.Success)
        {
            Copy(raw, long.Parse(length.Groups[1].Value));
        }
        else if (head.Contains("Transfer-Encoding: chunked\r\n", StringComparison.Ordinal))
        {
            while (true)
            {
                string sizeLine = ReadLine() ?? throw new EndOfStreamException("EOF inside a chunked body");
                raw.Write(Encoding.Latin1.GetBytes(sizeLine));
                long size = Convert.ToInt64(sizeLine.TrimEnd('\r', '\n').Split(';')[0], 16);
                Copy(raw, size);
                string end = ReadLine() ?? throw new EndOfStreamException("EOF after a chunk");
                raw.Write(Encoding.Latin1.GetBytes(end));
                if (size == 0)
                {
                    break;
                }
            }
        }

        return Normalise(head) + Body(raw);
    }

    /// <summary>What the peer sends until it closes, then how it closed: "[FIN]" (orderly) or "[RST]" (reset).</summary>
    public string ReadUntilClosed()
    {
        using var raw = new MemoryStream();
        raw.Write(_buffer, _start, _end - _start);
        _start = _end = 0;
        string ending;
        try
        {
            int n;
            while ((n = stream.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                raw.Write(_buffer, 0, n);
            }

            ending = "[FIN]";
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            ending = "[RST]";
        }

        return Normalise(Encoding.Latin1.GetString(raw.ToArray())) + ending;
    }

    /// <summary>The Date header's value replaced (it is the one part of a response that depends on when it was sent).</summary>
    public static string Normalise(string text) => DateHeader().Replace(text, "Date: <date>\r\n");

    private static string Body(MemoryStream raw)
    {
        if (raw.Length <= SummariseAbove)
        {
            return Encoding.Latin1.GetString(raw.GetBuffer(), 0, (int)raw.Length);
        }

        return $"<{raw.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(raw.GetBuffer().AsSpan(0, (int)raw.Length)))}>";
    }

    private string? ReadHead()
    {
        var head = new StringBuilder();
        while (true)
        {
            string? line = ReadLine();
            if (line is null)
            {
                return head.Length == 0 ? null : throw new EndOfStreamException("EOF inside a response head: " + head);
            }

            head.Append(line);
            if (line == "\r\n")
            {
                return head.ToString();
            }
        }
    }

    private string? ReadLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !Fill())
            {
                return line.Length == 0 ? null : throw new EndOfStreamException("EOF inside a line: " + line);
            }

            char c = (char)_buffer[_start++];
            line.Append(c);
            if (c == '\n')
            {
                return line.ToString();
            }
        }
    }

    private void Copy(MemoryStream destination, long count)
    {
        while (count > 0)
        {
            if (_start == _end && !Fill())
            {
                throw new EndOfStreamException($"EOF with {count} body bytes still to come");
            }

            int n = (int)Math.Min(count, _end - _start);
            destination.Write(_buffer, _start, n);
            _start += n;
            count -= n;
        }
    }

    private bool Fill()
    {
        _start = 0;
        _end = stream.Read(_buffer, 0, _buffer.Length);
        return _end > 0;
    }

    [GeneratedRegex(@"Content-Length: (\d+)\r\n")]
    private static partial Regex ContentLength();

    [GeneratedRegex(@"Date: [^\r\n]*\r\n")]
    private static partial Regex DateHeader();
}
