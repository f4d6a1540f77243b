namespace LinuxIoMux;

/// <summary>
/// A caller-owned buffer of <c>struct epoll_event</c> records in the kernel's own layout, read in place with the
/// native stride (12 bytes on x86-64, 16 on arm64): the zero-conversion way to call
/// <see cref="EpollHandle.Wait(EpollBuffer, int)"/>.
/// </summary>
/// <remarks>
/// Allocate one per event loop and reuse it: nothing grows behind the caller's back (mio's <c>Events</c> works the
/// same way). Entries are valid until the next wait into the same buffer. Disposing the buffer while another thread
/// waits into it is safe: the memory is freed when that wait returns.
/// </remarks>
/// <example>
/// <code>
/// using var buffer = new EpollBuffer(256);
/// int ready = epoll.Wait(buffer, timeoutMilliseconds: 100);
/// for (int i = 0; i &lt; ready; i++) Handle(buffer[i].Data, buffer[i].Events);
/// </code>
/// </example>
public sealed unsafe class EpollBuffer : IDisposable
{
    private readonly NativeMemoryHandle _memory;

    /// <summary>Creates a buffer that can receive up to <paramref name="capacity"/> events per wait.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive or too large.</exception>
    public EpollBuffer(int capacity)
        : this(capacity, EpollAbi.NativeStride)
    {
    }

    /// <summary>Test seam: a buffer with an explicit record stride, to exercise the arm64 layout on x86-64.</summary>
    internal EpollBuffer(int capacity, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, EpollHandle.MaxEventsPerWait);
        Capacity = capacity;
        Stride = stride;
        _memory = NativeMemoryHandle.Allocate((nuint)capacity * (nuint)stride);
    }

    /// <summary>How many events one wait can return.</summary>
    public int Capacity { get; }

    /// <summary>How many events the last wait into this buffer returned.</summary>
    public int Count { get; internal set; }

    /// <summary>Bytes per record: the kernel's sizeof(struct epoll_event) for this process.</summary>
    internal int Stride { get; }

    internal NativeMemoryHandle Memory => _memory;

    /// <summary>Event <paramref name="index"/> of the last wait, read straight from the kernel's record.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="Count"/>.</exception>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public EpollEvent this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The last wait returned {Count} events.");
            }

            ObjectDisposedException.ThrowIf(_memory.IsClosed, this);
            // SAFETY: index < Count <= Capacity, and the block holds Capacity records of Stride bytes.
            return EpollAbi.Read(_memory.Pointer, Stride, index);
        }
    }

    /// <summary>Frees the native memory (after any wait in progress returns).</summary>
    public void Dispose() => _memory.Dispose();
}
