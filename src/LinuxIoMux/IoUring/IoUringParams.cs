using System.Runtime.InteropServices;

namespace LinuxIoMux.IoUring;

/// <summary>
/// <c>struct io_uring_params</c> (120 bytes): what io_uring_setup is asked for and answers with (the ring sizes it
/// chose, its features, and where in the mmap'd regions the ring fields live). Layout checked by the layout probe.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringParams
{
    internal uint SqEntries;
    internal uint CqEntries;
    internal uint Flags;
    internal uint SqThreadCpu;
    internal uint SqThreadIdle;
    internal uint Features;
    internal uint WqFd;
    internal uint Reserved0;
    internal uint Reserved1;
    internal uint Reserved2;
    internal SqRingOffsets SqOffsets;
    internal CqRingOffsets CqOffsets;
}

/// <summary><c>struct io_sqring_offsets</c> (40 bytes): byte offsets of the submission ring's fields in its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SqRingOffsets
{
    internal uint Head;
    internal uint Tail;
    internal uint RingMask;
    internal uint RingEntries;
    internal uint Flags;
    internal uint Dropped;
    internal uint Array;
    internal uint Reserved;
    internal ulong UserAddress;
}

/// <summary><c>struct io_cqring_offsets</c> (40 bytes): byte offsets of the completion ring's fields in its mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CqRingOffsets
{
    internal uint Head;
    internal uint Tail;
    internal uint RingMask;
    internal uint RingEntries;
    internal uint Overflow;
    internal uint Cqes;
    internal uint Flags;
    internal uint Reserved;
    internal ulong UserAddress;
}
