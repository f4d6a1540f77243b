using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// A <see cref="Stream"/> over any pollable descriptor (pipe, FIFO, pty, eventfd, character device, socket) owned by
/// a <see cref="Reactor"/>: <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> and
/// <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> make one read(2)/write(2) at once and await
/// readiness only on EAGAIN, are cancellable, allocate nothing per call in steady state, and resume on the loop thread.
/// </summary>
/// <remarks>
/// <para><b>Synchronous Read and Write throw <see cref="NotSupportedException"/>.</b> The descriptor is non-blocking
/// and belongs to a loop thread; a synchronous read would have to block that thread (every other descriptor of the
/// loop would wait) or return "nothing yet", which a Stream cannot say (0 means end of stream). So only the async
/// members read and write; <see cref="Stream.CopyToAsync(Stream)"/> and the other async helpers work.</para>
/// <para><b>Ownership.</b> The constructor puts the descriptor in non-blocking mode (O_NONBLOCK, fcntl(2)) and
/// registers it; <see cref="Stream.Dispose()"/> unregisters it, fails pending operations with
/// <see cref="ObjectDisposedException"/>, and disposes the handle.</para>
/// <para><b>End of stream.</b> read(2) returning 0 (the writer closed the pipe), and EIO on a pty's master side once
/// no process holds the terminal open (what terminal emulators treat as the end), read as 0.</para>
/// <para><b>Threads and errors.</b> As <see cref="ReactorSocket"/>: one read and one write at a time, on the loop
/// thread (or while the loop is not running); failures are <see cref="UnixException"/> naming the call.</para>
/// </remarks>
public sealed partial class ReactorStream : Stream
{
    private readonly Registration _registration;
    private readonly SafeHandle _handle;
    private readonly Reactor _reactor;
    private ReadOperation? _read;
    private WriteOperation? _write;
    private bool _disposed;

    /// <summary>Makes <paramref name="handle"/>'s descriptor non-blocking and registers it with <paramref name="reactor"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The handle is invalid, or already registered with this reactor.</exception>
    /// <exception cref="ObjectDisposedException">The reactor or the handle is disposed.</exception>
    /// <exception cref="UnixException">fcntl failed, or the multiplexer refused the descriptor (epoll: EPERM for a
    /// regular file, which is always ready and cannot be polled).</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    public ReactorStream(Reactor reactor, SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(handle);
        if (handle.IsInvalid)
        {
            throw new ArgumentException("The handle does not hold a descriptor.", nameof(handle));
        }

        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        SetNonBlocking(handle);
        _registration = reactor.RegisterForAwait(handle);
        _reactor = reactor;
        _handle = handle;
    }

    /// <inheritdoc/>
    public override bool CanRead => !_disposed;

    /// <inheritdoc/>
    public override bool CanWrite => !_disposed;

    /// <summary>False: a pollable descriptor is a stream of bytes, not a file with a position.</summary>
    public override bool CanSeek => false;

    /// <summary>Not supported (no seeking).</summary>
    public override long Length => throw new NotSupportedException("ReactorStream cannot seek.");

    /// <summary>Not supported (no seeking).</summary>
    public override long Position
    {
        get => throw new NotSupportedException("ReactorStream cannot seek.");
        set => throw new NotSupportedException("ReactorStream cannot seek.");
    }

    /// <summary>Reads into <paramref name="buffer"/>: one read(2), a readiness wait only on EAGAIN.</summary>
    /// <returns>Bytes read; 0 at end of stream.</returns>
    /// <exception cref="UnixException">read failed, naming the call.</exception>
    /// <exception cref="ObjectDisposedException">The stream or its reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">A read is already pending, or off the loop thread.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        _registration.Waiters!.Read.ThrowIfPending();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        int read = TryRead(buffer.Span);
        if (read >= 0)
        {
            return new ValueTask<int>(read);
        }

        ReadOperation operation = _read ??= new ReadOperation(this);
        operation.Buffer = buffer;
        return operation.Begin(cancellationToken);
    }

    /// <summary>Writes all of <paramref name="buffer"/>: write(2) until done, awaiting writability on EAGAIN.</summary>
    /// <exception cref="UnixException">write failed (e.g. EPIPE: no reader), naming the call; part may have been written.</exception>
    /// <exception cref="ObjectDisposedException">The stream or its reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">A write is already pending, or off the loop thread.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        _registration.Waiters!.Write.ThrowIfPending();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        while (buffer.Length > 0)
        {
            int written = TryWrite(buffer.Span);
            if (written < 0)
            {
                WriteOperation operation = _write ??= new WriteOperation(this);
                operation.Rest = buffer;
                return operation.BeginWithoutResult(cancellationToken);
            }

            buffer = buffer[written..];
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Not supported: use <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> (see remarks).</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw SynchronousIo();

    /// <summary>Not supported: use <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> (see remarks).</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw SynchronousIo();

    /// <summary>Nothing to flush: writes go straight to the descriptor.</summary>
    public override void Flush()
    {
    }

    /// <summary>Nothing to flush: completed at once.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <summary>Not supported (no seeking).</summary>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("ReactorStream cannot seek.");

    /// <summary>Not supported (no seeking).</summary>
    public override void SetLength(long value) => throw new NotSupportedException("ReactorStream cannot seek.");

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _registration.Dispose(); // before the close: the registration holds only the number
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    private static NotSupportedException SynchronousIo() => new(
        "ReactorStream reads and writes only asynchronously: its descriptor is non-blocking and belongs to a loop " +
        "thread, which a blocking Read or Write would stall. Use ReadAsync/WriteAsync.");

    private void ThrowIfUnusable()
    {
        ThrowIfDisposed();
        _reactor.ThrowIfUnusableForAwait();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(ReactorStream), $"fd {_registration.Fd}: the ReactorStream was disposed.");
        }
    }
}
