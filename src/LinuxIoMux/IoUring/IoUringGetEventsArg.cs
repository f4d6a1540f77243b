using System.Runtime.InteropServices;

namespace LinuxIoMux.IoUring;

/// <summary>
/// <c>struct io_uring_getevents_arg</c> (24 bytes): with IORING_ENTER_EXT_ARG (Linux 5.11), the wait timeout is
/// passed to io_uring_enter directly instead of through a timeout SQE.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoUringGetEventsArg
{
    internal ulong SignalMask;
    internal uint SignalMaskSize;
    internal uint MinWaitMicroseconds;
    internal ulong Timespec;
}
