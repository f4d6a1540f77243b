using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// One ready descriptor as reported by epoll_wait(2): the events that fired and the 64-bit data given at
/// registration.
/// </summary>
/// <remarks>
/// This struct is always 16 bytes (events at offset 0, data at 8), which is the kernel's <c>struct epoll_event</c>
/// on arm64 and every other architecture except x86, where the kernel packs it into 12 bytes. On x86-64,
/// <see cref="EpollHandle.Wait(Span{EpollEvent}, int)"/> lets the kernel write its packed records into the start of
/// the caller's span and widens the ready ones in place (last to first, so nothing is overwritten before it is read):
/// no second buffer, no per-call allocation, and the same AnyCPU assembly is right on both. <see cref="EpollBuffer"/>
/// avoids even that pass by reading the native stride directly.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public readonly struct EpollEvent : IEquatable<EpollEvent>
{
    [FieldOffset(0)]
    private readonly EpollEvents _events;

    [FieldOffset(8)]
    private readonly ulong _data;

    /// <summary>Creates an event value (useful in tests and for reactors that synthesize events).</summary>
    public EpollEvent(EpollEvents events, ulong data)
    {
        _events = events;
        _data = data;
    }

    /// <summary>The events that are ready (<c>epoll_event.events</c>).</summary>
    public EpollEvents Events => _events;

    /// <summary>The data registered with the fd (<c>epoll_event.data.u64</c>).</summary>
    public ulong Data => _data;

    /// <inheritdoc/>
    public bool Equals(EpollEvent other) => _events == other._events && _data == other._data;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EpollEvent other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_events, _data);

    /// <summary>Compares two events by value.</summary>
    public static bool operator ==(EpollEvent left, EpollEvent right) => left.Equals(right);

    /// <summary>Compares two events by value.</summary>
    public static bool operator !=(EpollEvent left, EpollEvent right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"{_events} data=0x{_data:x}";
}
