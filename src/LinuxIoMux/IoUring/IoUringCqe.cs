using System.Runtime.InteropServices;

namespace LinuxIoMux.IoUring;

/// <summary><c>struct io_uring_cqe</c> (16 bytes, no IORING_SETUP_CQE32): one completion.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringCqe
{
    /// <summary>The user_data of the SQE this completes.</summary>
    internal ulong UserData;

    /// <summary>The result: for a poll, the ready poll(2) mask, or a negated errno.</summary>
    internal int Result;

    /// <summary>IORING_CQE_F_* bits.</summary>
    internal uint Flags;
}
