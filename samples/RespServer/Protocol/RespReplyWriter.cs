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

    /// <summary>"-ERR ..." error reply. The text must not contain CR or LF.</summary>
    internal static void Error(IBufferWriter<byte> output, string text)
    {
        Span<byte> span = output.GetSpan(text.Length * 3 + 3);
        span[0] = (byte)'-';
        int written = 1 + System.Text.Encoding.UTF8.GetBytes(text, span[1..]);
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
