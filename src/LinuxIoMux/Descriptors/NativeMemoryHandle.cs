using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// Owns a block of native memory the kernel writes into (a pollfd array, an epoll_event buffer). Being a SafeHandle,
/// it is reference-counted: a wait AddRefs it for the duration of the syscall, so a Dispose or a reallocation on
/// another thread frees the block only after the kernel has finished writing into it.
/// </summary>
internal sealed unsafe class NativeMemoryHandle : SafeHandle
{
    private NativeMemoryHandle(nuint bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        // 64-byte alignment: one cache line, and above the 8-byte alignment every record here needs.
        SetHandle((IntPtr)NativeMemory.AlignedAlloc(bytes, 64));
        NativeMemory.Clear((void*)handle, bytes);
        Length = bytes;
    }

    /// <summary>Size of the block in bytes.</summary>
    internal nuint Length { get; }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Start of the block. Valid while the handle is open or AddRef'd.</summary>
    internal byte* Pointer => (byte*)handle;

    /// <summary>Allocates <paramref name="bytes"/> zeroed bytes (at least 1).</summary>
    internal static NativeMemoryHandle Allocate(nuint bytes) => new(Math.Max(bytes, 1));

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        return true;
    }
}
