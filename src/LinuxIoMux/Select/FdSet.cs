using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace LinuxIoMux;

/// <summary>
/// glibc's <c>fd_set</c> for select(2): 1024 bits (<c>FD_SETSIZE</c>) in 128 bytes, as a value type you can keep on
/// the stack. <c>Set</c>, <c>Clear</c>, <c>IsSet</c> and <c>Zero</c> are FD_SET, FD_CLR, FD_ISSET and FD_ZERO.
/// </summary>
/// <remarks>
/// In C, FD_SET with an fd outside [0, 1024) writes past the struct (undefined behaviour; glibc's
/// <c>_FORTIFY_SOURCE</c> aborts the process). Here it throws <see cref="ArgumentOutOfRangeException"/> naming the
/// limit. Descriptors at or above 1024 cannot be waited on with select at all: use <see cref="PollSet"/> or
/// <see cref="EpollHandle"/>.
/// </remarks>
[StructLayout(LayoutKind.Sequential, Size = Capacity / 8)]
public unsafe struct FdSet
{
    /// <summary>FD_SETSIZE: the number of descriptors an fd_set can hold, 0 to 1023.</summary>
    public const int Capacity = 1024;

    private const int BitsPerWord = 64;
    private const int Words = Capacity / BitsPerWord;

    // glibc: __fd_mask fds_bits[FD_SETSIZE / NFDBITS] with __fd_mask = long; bit fd % 64 of word fd / 64.
    private fixed ulong _bits[Words];

    /// <summary>Adds <paramref name="fd"/> (FD_SET).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative or at least <see cref="Capacity"/>.</exception>
    public void Set(int fd)
    {
        CheckRange(fd);
        _bits[fd / BitsPerWord] |= 1UL << (fd % BitsPerWord);
    }

    /// <summary>Removes <paramref name="fd"/> (FD_CLR).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative or at least <see cref="Capacity"/>.</exception>
    public void Clear(int fd)
    {
        CheckRange(fd);
        _bits[fd / BitsPerWord] &= ~(1UL << (fd % BitsPerWord));
    }

    /// <summary>True if <paramref name="fd"/> is in the set (FD_ISSET).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative or at least <see cref="Capacity"/>.</exception>
    public readonly bool IsSet(int fd)
    {
        CheckRange(fd);
        return (_bits[fd / BitsPerWord] & (1UL << (fd % BitsPerWord))) != 0;
    }

    /// <summary>Empties the set (FD_ZERO).</summary>
    public void Zero()
    {
        for (int i = 0; i < Words; i++)
        {
            _bits[i] = 0;
        }
    }

    /// <summary>How many descriptors are in the set (after a select: how many are ready in it).</summary>
    public readonly int Count
    {
        get
        {
            int count = 0;
            for (int i = 0; i < Words; i++)
            {
                count += BitOperations.PopCount(_bits[i]);
            }

            return count;
        }
    }

    /// <summary>The highest descriptor in the set, or -1 when empty. select's nfds is this plus one.</summary>
    public readonly int HighestFd
    {
        get
        {
            for (int i = Words - 1; i >= 0; i--)
            {
                ulong word = _bits[i];
                if (word != 0)
                {
                    return i * BitsPerWord + (BitsPerWord - 1 - BitOperations.LeadingZeroCount(word));
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// select's <c>nfds</c> for three sets: one more than the highest descriptor in any of them, 0 when all are empty.
    /// </summary>
    /// <remarks>
    /// Every <see cref="Select"/> wait computes this, so it is the wrapper's own per-call cost: one pass from the top
    /// over the three sets OR'd together, 256 bits at a time, instead of three <see cref="HighestFd"/> scans of 16
    /// words each. Measured on the shared 2-core machine of issue 12 (10 million calls, one fd set): 35 to 85 ns down
    /// to 8 to 20 ns per call, against about 540 ns for the whole zero-timeout select timed in C there.
    /// </remarks>
    internal static int Nfds(ref FdSet read, ref FdSet write, ref FdSet except)
    {
        ref ulong r = ref Unsafe.As<FdSet, ulong>(ref read);
        ref ulong w = ref Unsafe.As<FdSet, ulong>(ref write);
        ref ulong e = ref Unsafe.As<FdSet, ulong>(ref except);
        const int WordsPerVector = 4; // Vector256<ulong>; on hardware without 256-bit vectors the JIT uses two 128-bit halves
        for (int chunk = Words - WordsPerVector; chunk >= 0; chunk -= WordsPerVector)
        {
            Vector256<ulong> any = Vector256.LoadUnsafe(ref r, (nuint)chunk)
                | Vector256.LoadUnsafe(ref w, (nuint)chunk)
                | Vector256.LoadUnsafe(ref e, (nuint)chunk);
            if (any == Vector256<ulong>.Zero)
            {
                continue;
            }

            for (int i = chunk + WordsPerVector - 1; i >= chunk; i--)
            {
                ulong word = Unsafe.Add(ref r, i) | Unsafe.Add(ref w, i) | Unsafe.Add(ref e, i);
                if (word != 0)
                {
                    return i * BitsPerWord + BitsPerWord - BitOperations.LeadingZeroCount(word);
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// The descriptors set in the three sets in the words below <paramref name="nfds"/> (from <see cref="Nfds"/>, so
    /// nothing is set above it), a descriptor in two sets counted twice; counting stops once it passes
    /// <paramref name="stopAbove"/>. Decides whether a zero-timeout select is small
    /// enough for the import without the GC transition: one word per set at the usual small nfds.
    /// </summary>
    internal static int CountBelow(ref FdSet read, ref FdSet write, ref FdSet except, int nfds, int stopAbove)
    {
        ref ulong r = ref Unsafe.As<FdSet, ulong>(ref read);
        ref ulong w = ref Unsafe.As<FdSet, ulong>(ref write);
        ref ulong e = ref Unsafe.As<FdSet, ulong>(ref except);
        int words = (nfds + BitsPerWord - 1) / BitsPerWord; // nfds <= Capacity: Nfds computed it from these sets
        int count = 0;
        for (int i = 0; i < words && count <= stopAbove; i++)
        {
            count += BitOperations.PopCount(Unsafe.Add(ref r, i)) + BitOperations.PopCount(Unsafe.Add(ref w, i))
                + BitOperations.PopCount(Unsafe.Add(ref e, i));
        }

        return count;
    }

    private static void CheckRange(int fd)
    {
        if ((uint)fd >= Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(fd), fd,
                $"select(2) can only watch descriptors 0 to {Capacity - 1} (FD_SETSIZE = {Capacity}); use PollSet or EpollHandle for higher ones.");
        }
    }
}
