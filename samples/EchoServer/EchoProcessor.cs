using System.Buffers;

namespace LinuxIoMux.Samples.EchoServer;

/// <summary>
/// The echo "protocol": every byte received is a complete request whose reply is itself. Bytes are taken only while
/// the output is below its limit, so a client that sends without reading is held back (the connection stops
/// reading), never buffered without bound.
/// </summary>
internal sealed class EchoProcessor : IRequestProcessor
{
    /// <inheritdoc/>
    /// <remarks>Echo has no request boundary: the connection's initial 16 KiB buffer is all it ever needs.</remarks>
    public int MaxRequestBytes => ProtocolConnection.InitialInputBytes;

    /// <inheritdoc/>
    public int Process(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output, int outputLimit, out bool close)
    {
        close = false;
        int taken = Math.Min(input.Length, Math.Max(0, outputLimit - output.WrittenCount));
        output.Write(input[..taken]);
        return taken;
    }
}
