using System.Buffers.Text;

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

    /// <summary>INCR: parses the value as a signed 64-bit decimal, adds one, stores the text.</summary>
    /// <returns>False if the value is not an integer or would overflow.</returns>
    internal bool TryIncrement(ReadOnlySpan<byte> key, out long result)
    {
        result = 0;
        if (_byspan.TryGetValue(key, out byte[]? existing))
        {
            if (!Utf8Parser.TryParse(existing, out long current, out int used) || used != existing.Length
                || current == long.MaxValue)
            {
                return false;
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
        return true;
    }
}
