using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// Owns a raw file descriptor (a socketpair end, a pipe end, an eventfd) and closes it with close(2) on Dispose,
/// with non-blocking <see cref="Read"/> and <see cref="Write"/> over spans (read(2), write(2)).
/// </summary>
/// <remarks>Create one with <see cref="SocketPair.Create"/>, <see cref="Pipe.Create"/> or <see cref="EventFd"/>.</remarks>
public sealed unsafe class FileDescriptorHandle : SafeHandle
{
    private FileDescriptorHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>What <see cref="Read"/> and <see cref="Write"/> return when a non-blocking descriptor has nothing for
    /// now (EAGAIN): -1, the same value as <see cref="NonBlockingSocket.WouldBlock"/>.</summary>
    public const int WouldBlock = -1;

    /// <summary>The descriptor number. Only meaningful while the handle is open.</summary>
    public int Fd => (int)handle;

    /// <summary>Reads into <paramref name="buffer"/> (read(2)); EINTR is retried.</summary>
    /// <returns>Bytes read; 0 at end of stream; <see cref="WouldBlock"/> if the fd is non-blocking and nothing is
    /// available (EAGAIN).</returns>
    /// <exception cref="UnixException">Any other errno, e.g. ECONNRESET.</exception>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            // SAFETY: the span stays pinned for the call and the kernel writes at most its length.
            return Transfer(bytes, buffer.Length, write: false);
        }
    }

    /// <summary>Writes <paramref name="buffer"/> (write(2)); a short write is possible on a non-blocking fd.</summary>
    /// <returns>Bytes written; <see cref="WouldBlock"/> if the fd is non-blocking and no room is available (EAGAIN).</returns>
    /// <exception cref="UnixException">Any other errno, e.g. EPIPE.</exception>
    public int Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            // SAFETY: the span stays pinned for the call and the kernel only reads it.
            return Transfer(bytes, buffer.Length, write: true);
        }
    }

    /// <summary>One read(2) or write(2), with this handle referenced for the call and EINTR retried.</summary>
    private int Transfer(byte* bytes, int length, bool write)
    {
        bool referenced = false;
        // SAFETY: keeps the fd open, and its number unreused, for the duration of the syscall.
        DangerousAddRef(ref referenced);
        try
        {
            while (true)
            {
                nint result = write
                    ? LibC.write((int)handle, bytes, (nuint)length)
                    : LibC.read((int)handle, bytes, (nuint)length);
                if (result >= 0)
                {
                    return (int)result;
                }

                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno == Errno.EAGAIN)
                {
                    return WouldBlock;
                }

                if (errno != Errno.EINTR)
                {
                    throw new UnixException(errno, $"{(write ? "write" : "read")}(fd={(int)handle}, count={length})");
                }
            }
        }
        finally
        {
            if (referenced)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>Wraps a descriptor this process just created and now owns.</summary>
    internal static FileDescriptorHandle Own(int fd)
    {
        var owned = new FileDescriptorHandle();
        owned.SetHandle(fd);
        return owned;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
