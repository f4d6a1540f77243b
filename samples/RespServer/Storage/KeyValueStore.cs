using LinuxIoMux.Samples.RespServer.Protocol;

namespace LinuxIoMux.Samples.RespServer.Storage;

/// <summary>
/// The sample's in-memory keyspace: byte-string keys and values, looked up by span. Single-threaded: one store
/// per reactor loop (as one Redis process is one loop).
/// </summary>
/// <remarks>
/// Overwriting a key with a value of the same length reuses the old array, so the SET of a benchmark's fixed-size
/// values allocates nothing once the key exists.
/// </remarks>
internal sealed class KeyValueStore
{
    private readonly Dictionary<byte[], byte[]> _entries = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _byspan;

    internal KeyValueStore()
    {
        _byspan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    internal int Count => _entries.Count;

    internal bool TryGet(ReadOnlySpan<byte> key, out byte[] value) => _byspan.TryGetValue(key, out value!);

    internal void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_byspan.TryGetValue(key, out byte[]? existing) && existing.Length == value.Length)
        {
            value.CopyTo(existing);
            return;
        }

        _byspan[key] = value.ToArray();
    }

    internal bool Remove(ReadOnlySpan<byte> key) => _byspan.Remove(key);

    internal bool Contains(ReadOnlySpan<byte> key) => _byspan.ContainsKey(key);

    /// <summary>
    /// INCR: reads the value as a canonical signed 64-bit decimal (<see cref="RespInteger"/>, the spelling redis-server
    /// accepts: "+5", "007" and "-0" are not integers), adds one, stores the text. A missing key counts as 0.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="result">The new value, when <see cref="IncrementOutcome.Incremented"/>.</param>
    internal IncrementOutcome Increment(ReadOnlySpan<byte> key, out long result)
    {
        result = 0;
        if (_byspan.TryGetValue(key, out byte[]? existing))
        {
            if (!RespInteger.TryParse(existing, out long current))
            {
                return IncrementOutcome.NotAnInteger;
            }

            if (current == long.MaxValue)
            {
                return IncrementOutcome.Overflow;
            }

            result = current + 1;
        }
        else
        {
            result = 1;
        }

        Span<byte> text = stackalloc byte[20];
        result.TryFormat(text, out int written);
        Set(key, text[..written]);
        return IncrementOutcome.Incremented;
    }
}
