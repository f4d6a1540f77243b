using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>The syscalls of <see cref="ReactorStream"/> and the reusable operations that wait for them.</summary>
public sealed partial class ReactorStream
{
    private const Errno EIO = (Errno)5;

    /// <summary>fcntl(2): adds O_NONBLOCK (a blocking descriptor would block the loop thread in read or write).</summary>
    private static void SetNonBlocking(SafeHandle handle)
    {
        bool referenced = false;
        // SAFETY: keeps the descriptor open, and its number unreused, for the two fcntl calls.
        handle.DangerousAddRef(ref referenced);
        try
        {
            int fd = (int)handle.DangerousGetHandle(); // SAFETY: read while referenced
            int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
            if (flags < 0)
            {
                throw UnixException.FromLastError($"fcntl(fd={fd}, F_GETFL)");
            }

            if ((flags & LibC.O_NONBLOCK) == 0 && LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0)
            {
                throw UnixException.FromLastError($"fcntl(fd={fd}, F_SETFL, O_NONBLOCK)");
            }
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease(); // SAFETY: pairs with the successful AddRef above
            }
        }
    }

    /// <summary>One read(2): bytes (0 at end of stream), or -1 on EAGAIN.</summary>
    private unsafe int TryRead(Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            // SAFETY: the span is pinned for the call and the kernel writes at most its length.
            return Transfer(bytes, buffer.Length, write: false);
        }
    }

    /// <summary>One write(2): bytes written, or -1 on EAGAIN.</summary>
    private unsafe int TryWrite(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* bytes = buffer)
        {
            // SAFETY: the span is pinned for the call and the kernel only reads it.
            return Transfer(bytes, buffer.Length, write: true);
        }
    }

    private unsafe int Transfer(byte* bytes, int length, bool write)
    {
        ThrowIfDisposed();
        bool referenced = false;
        // SAFETY: keeps the descriptor open, and its number unreused, for the syscall.
        _handle.DangerousAddRef(ref referenced);
        try
        {
            int fd = (int)_handle.DangerousGetHandle(); // SAFETY: read while referenced
            while (true)
            {
                nint result = write ? LibC.write(fd, bytes, (nuint)length) : LibC.read(fd, bytes, (nuint)length);
                if (result >= 0)
                {
                    return (int)result;
                }

                var errno = (Errno)Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case Errno.EAGAIN:
                        return -1;
                    case Errno.EINTR:
                        continue;
                    case EIO when !write:
                        return 0; // a pty master whose terminal has no process left: the end of the stream
                    default:
                        throw new UnixException(errno, $"{(write ? "write" : "read")}(fd={fd}, count={length})");
                }
            }
        }
        finally
        {
            if (referenced)
            {
                _handle.DangerousRelease(); // SAFETY: pairs with the successful AddRef above
            }
        }
    }

    /// <summary>read(2) into the caller's buffer after each readable report.</summary>
    private sealed class ReadOperation(ReactorStream stream) : ReadinessOperation<int>(stream._registration, Interest.Readable)
    {
        internal Memory<byte> Buffer { get; set; }

        protected override bool TryComplete(out int result)
        {
            result = stream.TryRead(Buffer.Span);
            return result >= 0;
        }

        protected override void Clear() => Buffer = default;
    }

    /// <summary>write(2) of what is left after each writable report, until nothing is.</summary>
    private sealed class WriteOperation(ReactorStream stream) : ReadinessOperation<int>(stream._registration, Interest.Writable)
    {
        internal ReadOnlyMemory<byte> Rest { get; set; }

        protected override bool TryComplete(out int result)
        {
            result = 0;
            while (Rest.Length > 0)
            {
                int written = stream.TryWrite(Rest.Span);
                if (written < 0)
                {
                    return false;
                }

                Rest = Rest[written..];
            }

            return true;
        }

        protected override void Clear() => Rest = default;
    }
}
