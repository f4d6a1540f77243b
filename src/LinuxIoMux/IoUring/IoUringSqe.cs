using System.Runtime.InteropServices;

namespace LinuxIoMux.IoUring;

/// <summary>
/// <c>struct io_uring_sqe</c> (64 bytes), with only the fields the poll operations use: the kernel reads the rest as
/// zero, so every entry is cleared before it is filled. Layout checked by the layout probe.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct IoUringSqe
{
    [FieldOffset(0)]
    internal byte Opcode;

    [FieldOffset(1)]
    internal byte Flags;

    [FieldOffset(4)]
    internal int Fd;

    /// <summary><c>addr</c>: for IORING_OP_POLL_REMOVE, the user_data of the poll to cancel.</summary>
    [FieldOffset(16)]
    internal ulong Address;

    /// <summary><c>len</c>: for IORING_OP_POLL_ADD, the IORING_POLL_ADD_* flags.</summary>
    [FieldOffset(24)]
    internal uint Length;

    /// <summary><c>poll32_events</c>: the poll(2) event mask of IORING_OP_POLL_ADD (little-endian hosts only).</summary>
    [FieldOffset(28)]
    internal uint PollEvents;

    [FieldOffset(32)]
    internal ulong UserData;
}
