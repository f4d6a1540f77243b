using System.Buffers;

namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>Writes RESP2 replies into an output buffer, without allocating.</summary>
internal static class RespReplyWriter
{
    internal static void SimpleString(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        Write(output, "+"u8);
        Write(output, text);
        Write(output, "\r\n"u8);
    }

    /// <summary>
    /// "-ERR ..." error reply. Each char of <paramref name="text"/> is one byte (Latin-1), so client bytes quoted in it
    /// (see <see cref="RespErrorText"/>) come back unchanged; CR and LF become spaces, as redis-server makes them, since
    /// either would end the error line early and desynchronise the client.
    /// </summary>
    internal static void Error(IBufferWriter<byte> output, string text)
    {
        Span<byte> span = output.GetSpan(text.Length + 3);
        span[0] = (byte)'-';
        int written = 1 + System.Text.Encoding.Latin1.GetBytes(text, span[1..]);
        span[1..written].Replace((byte)'\r', (byte)' ');
        span[1..written].Replace((byte)'\n', (byte)' ');
        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
    }

    internal static void Integer(IBufferWriter<byte> output, long value) => Header(output, (byte)':', value);

    internal static void BulkString(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        Header(output, (byte)'$', value.Length);
        Write(output, value);
        Write(output, "\r\n"u8);
    }

    internal static void NullBulkString(IBufferWriter<byte> output) => Write(output, "$-1\r\n"u8);

    internal static void ArrayHeader(IBufferWriter<byte> output, int count) => Header(output, (byte)'*', count);

    private static void Header(IBufferWriter<byte> output, byte prefix, long value)
    {
        Span<byte> span = output.GetSpan(24);
        span[0] = prefix;
        value.TryFormat(span[1..], out int digits);
        span[1 + digits] = (byte)'\r';
        span[2 + digits] = (byte)'\n';
        output.Advance(3 + digits);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
