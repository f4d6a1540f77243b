using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// The kernel's <c>struct epoll_event</c> layout for the running process, and the conversions between it and
/// <see cref="EpollEvent"/>. The layout is a parameter of every method so the tests can run the arm64 path on x86-64.
/// </summary>
/// <remarks>
/// &lt;sys/epoll.h&gt; declares the struct <c>__attribute__((packed))</c> only on x86 (and x86-64), giving
/// 12 bytes with the data at offset 4; everywhere else it has natural alignment: 16 bytes, data at offset 8.
/// </remarks>
internal static unsafe class EpollAbi
{
    /// <summary>Size of the packed x86/x86-64 record.</summary>
    internal const int PackedStride = 12;

    /// <summary>Size of the naturally aligned record (arm64 and the rest), equal to sizeof(EpollEvent).</summary>
    internal const int AlignedStride = 16;

    /// <summary>The native stride of this process. A static readonly the JIT folds to a constant.</summary>
    internal static readonly int NativeStride =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86 ? PackedStride : AlignedStride;

    /// <summary>Offset of <c>data</c> inside a record of the given stride.</summary>
    internal static int DataOffset(int stride) => stride == PackedStride ? 4 : 8;

    /// <summary>Writes one record in the given layout (for epoll_ctl). <paramref name="destination"/> has 16 bytes.</summary>
    internal static void Write(byte* destination, int stride, EpollEvents events, ulong data)
    {
        // SAFETY: destination points at a 16-byte stack buffer; both layouts fit in it.
        Unsafe.WriteUnaligned(destination, (uint)events);
        if (stride == AlignedStride)
        {
            Unsafe.WriteUnaligned(destination + 4, 0u); // padding the kernel ignores, zeroed for valgrind's sake
        }

        Unsafe.WriteUnaligned(destination + DataOffset(stride), data);
    }

    /// <summary>Reads record <paramref name="index"/> of a native array of the given stride.</summary>
    internal static EpollEvent Read(byte* records, int stride, int index)
    {
        // SAFETY: callers bound index by the count the kernel returned for this buffer.
        byte* record = records + (nint)index * stride;
        return new EpollEvent(
            (EpollEvents)Unsafe.ReadUnaligned<uint>(record),
            Unsafe.ReadUnaligned<ulong>(record + DataOffset(stride)));
    }

    /// <summary>
    /// Converts the first <paramref name="count"/> native records the kernel wrote at the start of
    /// <paramref name="events"/> into <see cref="EpollEvent"/> values, in place.
    /// </summary>
    /// <remarks>
    /// With the aligned stride the records already are EpollEvents: nothing to do. With the packed stride, record i
    /// sits at [12i, 12i+12) and belongs at [16i, 16i+16). Going from the last to the first, the write of entry i
    /// starts at 16i >= 12i, past every record j &lt; i still to be read, so nothing unread is overwritten.
    /// </remarks>
    internal static void WidenInPlace(Span<EpollEvent> events, int count, int stride)
    {
        if (stride == AlignedStride || count == 0)
        {
            return;
        }

        fixed (EpollEvent* first = events)
        {
            byte* records = (byte*)first;
            for (int i = count - 1; i >= 0; i--)
            {
                // SAFETY: i < count <= events.Length; record i (12 bytes at 12*i) lies inside the span and is read
                // completely into locals before entry i (16 bytes at 16*i) is written.
                EpollEvent value = Read(records, stride, i);
                first[i] = value;
            }
        }
    }
}
