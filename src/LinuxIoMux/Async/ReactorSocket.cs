using System.Net.Sockets;

namespace LinuxIoMux;

/// <summary>
/// A non-blocking socket owned by one <see cref="Reactor"/>, with <c>async</c> receive, send, accept and connect whose
/// continuations run on the reactor's loop thread: thread-per-core protocol code without locks or thread-pool hops.
/// </summary>
/// <remarks>
/// <para><b>Syscall first, unless known drained.</b> Every operation makes its system call (recv(2), send(2),
/// accept4(2), connect(2)) at once, and awaits readiness only when the kernel says EAGAIN; then it tries again. A
/// receive with data waiting completes synchronously, and in steady state nothing is allocated per operation. One
/// exception: after a receive on a stream socket that returned fewer bytes than the buffer held (or said EAGAIN), the
/// next receive waits for readiness at once, without the recv(2) that would say EAGAIN, until the reactor reports
/// the socket readable (or hung up, or in error) again; data arriving in between is such a report, so nothing is
/// missed. A first receive, and any receive after a report, tries the syscall first.</para>
/// <para><b>One operation per direction.</b> At most one receive (or accept) and one send at a time: a second one
/// while the first waits throws <see cref="InvalidOperationException"/>.</para>
/// <para><b>Threads.</b> Use it on the reactor's loop thread (code started with <see cref="Reactor.Spawn(Func{Task})"/>,
/// or a handler), or while the loop is not running. From another thread while the loop runs, and so from another
/// reactor's loop, the operations throw <see cref="InvalidOperationException"/>: a descriptor belongs to one loop.</para>
/// <para><b>Errors.</b> <see cref="SocketException"/> (receive, send, connect, shutdown) or <see cref="UnixException"/>
/// (accept) naming the call and the error; a peer reset is such an exception in the awaiting code, never a crash of
/// the loop. <see cref="Dispose"/> completes pending operations with <see cref="ObjectDisposedException"/>.</para>
/// <para>Do not mix with the socket's own Task-based async methods: those hand the socket to .NET's epoll engine.</para>
/// </remarks>
public sealed partial class ReactorSocket : IDisposable
{
    private readonly Reactor _reactor;
    private readonly Registration _registration;
    private bool _disposed;

    /// <summary>Puts <paramref name="socket"/> in non-blocking mode and registers it with <paramref name="reactor"/>.
    /// The ReactorSocket owns the socket from then on: <see cref="Dispose"/> closes it.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The reactor or the socket is disposed.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    /// <exception cref="ArgumentException">The socket is already registered with this reactor.</exception>
    public ReactorSocket(Reactor reactor, Socket socket)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(socket);
        socket.Blocking = false;
        _registration = reactor.RegisterForAwait(socket.SafeHandle);
        _reactor = reactor;
        _isStream = IsStream(socket);
        Socket = socket;
    }

    /// <summary>The reactor that owns this socket: its loop thread runs every operation and continuation.</summary>
    public Reactor Reactor => _reactor;

    /// <summary>The socket (for options and addresses; do its I/O through this object).</summary>
    public Socket Socket { get; }

    /// <summary>Receives into <paramref name="buffer"/>: one recv(2), and a readiness wait only if it would block.</summary>
    /// <returns>Bytes received; 0 at end of stream (the peer shut down its sending side or closed).</returns>
    /// <exception cref="SocketException">recv failed (e.g. ConnectionReset), naming the call.</exception>
    /// <exception cref="ObjectDisposedException">This socket or its reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">A receive or accept is already pending, or off the loop thread.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        _registration.Waiters!.Read.ThrowIfPending();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        // Syscall first, unless the last receive drained the socket and nothing was reported since (ReactorSocket.Drained.cs).
        if (buffer.IsEmpty || !IsKnownDrained)
        {
            int received = TryReceive(buffer.Span);
            if (received >= 0)
            {
                return new ValueTask<int>(received);
            }
        }

        ReceiveOperation operation = Receiving;
        operation.Buffer = buffer;
        return operation.Begin(cancellationToken);
    }

    /// <summary>Sends all of <paramref name="buffer"/>: send(2) until done, awaiting writability whenever the send
    /// buffer is full.</summary>
    /// <exception cref="SocketException">send failed (e.g. ConnectionReset, Shutdown after the peer closed), naming the
    /// call; part of the buffer may have been sent.</exception>
    /// <exception cref="ObjectDisposedException">This socket or its reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">A send is already pending, or off the loop thread.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (part of the
    /// buffer may have been sent).</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        _registration.Waiters!.Write.ThrowIfPending();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        int sent = 0;
        while (sent < buffer.Length)
        {
            int n = TrySend(buffer.Span[sent..]);
            if (n < 0)
            {
                SendOperation operation = Sending;
                operation.Rest = buffer[sent..];
                return operation.BeginWithoutResult(cancellationToken);
            }

            sent += n;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Shuts down the sending side (shutdown(2) with SHUT_WR): the peer reads end of stream after the data
    /// already sent; receiving goes on.</summary>
    /// <exception cref="SocketException">shutdown failed (e.g. NotConnected), naming the call.</exception>
    /// <exception cref="ObjectDisposedException">This socket is disposed.</exception>
    public void ShutdownSend()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException exception)
        {
            throw Failure(exception.SocketErrorCode, "shutdown", "SHUT_WR");
        }
    }

    /// <summary>Unregisters and closes the socket. Pending operations complete with
    /// <see cref="ObjectDisposedException"/> (on the loop thread; at once when called there). Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _registration.Dispose(); // before the close: the registration holds only the number (Registration remarks)
        Socket.Dispose();
    }

    /// <summary>One recv(2): bytes (0 at end of stream), or -1 when it would block.</summary>
    private int TryReceive(Span<byte> buffer)
    {
        int received = Socket.Receive(buffer, SocketFlags.None, out SocketError error);
        received = error switch
        {
            SocketError.Success => received,
            SocketError.WouldBlock => -1,
            _ => throw Failure(error, "recv", $"count={buffer.Length}"),
        };
        NoteReceive(received, buffer.Length);
        return received;
    }

    /// <summary>One send(2): bytes sent, or -1 when it would block.</summary>
    private int TrySend(ReadOnlySpan<byte> buffer)
    {
        int sent = Socket.Send(buffer, SocketFlags.None, out SocketError error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => -1,
            _ => throw Failure(error, "send", $"count={buffer.Length}"),
        };
    }

    private SocketException Failure(SocketError error, string call, string arguments) =>
        new((int)error, $"{call}(fd={_registration.Fd}, {arguments}): {new SocketException((int)error).Message} ({error})");

    private void ThrowIfUnusable()
    {
        ThrowIfDisposed();
        _reactor.ThrowIfUnusableForAwait();
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(nameof(ReactorSocket), $"fd {_registration.Fd}: the ReactorSocket was disposed.");
        }
    }
}
