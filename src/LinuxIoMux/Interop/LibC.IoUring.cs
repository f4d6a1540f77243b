using System.Runtime.InteropServices;
using LinuxIoMux.IoUring;

namespace LinuxIoMux.Interop;

internal static unsafe partial class LibC
{
    // <linux/io_uring.h> and <sys/mman.h>; values checked against the headers by native/layout and LayoutProbeTests.
    // The syscall numbers are the same on x86-64 and arm64: every syscall added since Linux 5.1 has one number on
    // all architectures (io_uring_setup 425, io_uring_enter 426).
    internal const long SYS_io_uring_setup = 425;
    internal const long SYS_io_uring_enter = 426;

    internal const uint IORING_SETUP_CQSIZE = 1u << 3;
    internal const uint IORING_SETUP_CLAMP = 1u << 4;
    internal const uint IORING_SETUP_SUBMIT_ALL = 1u << 7;

    internal const uint IORING_FEAT_SINGLE_MMAP = 1u << 0;
    internal const uint IORING_FEAT_NODROP = 1u << 1;
    internal const uint IORING_FEAT_EXT_ARG = 1u << 8;

    internal const uint IORING_ENTER_GETEVENTS = 1u << 0;
    internal const uint IORING_ENTER_EXT_ARG = 1u << 3;

    internal const uint IORING_SQ_CQ_OVERFLOW = 1u << 1;

    internal const byte IORING_OP_NOP = 0;
    internal const byte IORING_OP_POLL_ADD = 6;
    internal const byte IORING_OP_POLL_REMOVE = 7;

    internal const uint IORING_POLL_ADD_MULTI = 1u << 0;

    internal const long IORING_OFF_SQ_RING = 0;
    internal const long IORING_OFF_CQ_RING = 0x8000000;
    internal const long IORING_OFF_SQES = 0x10000000;

    internal const int PROT_READ = 0x1;
    internal const int PROT_WRITE = 0x2;
    internal const int MAP_SHARED = 0x01;
    internal const int MAP_POPULATE = 0x8000;

    /// <summary>mmap's MAP_FAILED, <c>(void *)-1</c>.</summary>
    internal static readonly void* MAP_FAILED = (void*)-1;

    /// <summary>
    /// syscall(2), for the io_uring calls glibc has no wrapper for. Declared with six fixed long arguments: on Linux
    /// x86-64 and arm64 a variadic callee reads integer arguments from the same registers as a fixed one, and the
    /// kernel ignores the ones a call does not use. Returns -1 and sets errno on failure.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /// <summary>io_uring_setup(2): creates a ring of <paramref name="entries"/> SQEs, fills <paramref name="parameters"/>.</summary>
    internal static int io_uring_setup(uint entries, IoUringParams* parameters) =>
        (int)syscall(SYS_io_uring_setup, entries, (long)parameters, 0, 0, 0, 0);

    /// <summary>
    /// io_uring_enter(2): submits <paramref name="toSubmit"/> SQEs and, with IORING_ENTER_GETEVENTS, waits for
    /// <paramref name="minComplete"/> completions. Blocks, so it keeps the GC transition.
    /// </summary>
    internal static int io_uring_enter(int fd, uint toSubmit, uint minComplete, uint flags, void* arg, nuint argSize) =>
        (int)syscall(SYS_io_uring_enter, fd, toSubmit, minComplete, flags, (long)arg, (long)argSize);

    /// <summary>mmap(2).</summary>
    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    /// <summary>munmap(2).</summary>
    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    internal static partial int munmap(void* address, nuint length);
}
