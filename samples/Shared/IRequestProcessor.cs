using System.Buffers;

namespace LinuxIoMux.Samples;

/// <summary>
/// A request/response protocol as the servers' connections drive it: bytes in, replies out, no I/O of its own.
/// </summary>
internal interface IRequestProcessor
{
    /// <summary>
    /// Answers the complete requests at the start of <paramref name="input"/>, in order, while
    /// <paramref name="output"/> holds fewer than <paramref name="outputLimit"/> bytes: a client that pipelines requests
    /// with large replies and reads nothing is stopped here, not buffered without limit.
    /// </summary>
    /// <param name="input">Received, unconsumed bytes.</param>
    /// <param name="output">Where replies go.</param>
    /// <param name="outputLimit">Stop taking requests once the output holds this many bytes.</param>
    /// <param name="close">Set when the connection must close once the output is flushed.</param>
    /// <returns>Bytes consumed; the rest is kept for later.</returns>
    int Process(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output, int outputLimit, out bool close);

    /// <summary>The largest request the connection must be able to buffer whole.</summary>
    int MaxRequestBytes { get; }
}
