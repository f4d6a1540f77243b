namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// The arguments of the request just parsed, reused from request to request: ranges into the request's bytes for a
/// multibulk request, or into <see cref="InlineBuffer"/> for an inline one (its quotes and escapes are decoded there).
/// </summary>
internal sealed class RespArguments
{
    /// <summary>Ranges held before the first growth: redis-benchmark's commands take 1 to 3, DEL of many keys more.</summary>
    private const int InitialCapacity = 64;

    private Range[] _ranges = new Range[InitialCapacity];

    /// <summary>Decoded inline arguments: decoding never lengthens a line, so one line's worth is enough.</summary>
    internal byte[] InlineBuffer { get; } = new byte[RespLimits.MaxInlineLength];

    /// <summary>The number of arguments (0 for an empty request, which is a no-op).</summary>
    internal int Count { get; private set; }

    /// <summary>Whether the ranges index <see cref="InlineBuffer"/> rather than the request.</summary>
    internal bool IsInline { get; private set; }

    /// <summary>The ranges of the arguments, in order.</summary>
    internal ReadOnlySpan<Range> Ranges => _ranges.AsSpan(0, Count);

    /// <summary>The bytes <see cref="Ranges"/> index, given the request's bytes.</summary>
    internal ReadOnlySpan<byte> Source(ReadOnlySpan<byte> request) => IsInline ? InlineBuffer : request;

    /// <summary>Forgets the previous request's arguments.</summary>
    internal void Clear(bool inline)
    {
        Count = 0;
        IsInline = inline;
    }

    /// <summary>
    /// Appends one argument. The array doubles when full; the request size bounds it (each multibulk argument takes at
    /// least 6 bytes of a request of at most <see cref="RespLimits.MaxRequestBytes"/>), so it stays below 1.5 MB.
    /// </summary>
    internal void Add(Range range)
    {
        if (Count == _ranges.Length)
        {
            Array.Resize(ref _ranges, _ranges.Length * 2);
        }

        _ranges[Count++] = range;
    }
}
