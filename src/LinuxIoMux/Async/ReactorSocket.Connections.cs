using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>Accepting and connecting: the operations that make a new <see cref="ReactorSocket"/>.</summary>
public sealed partial class ReactorSocket
{
    /// <summary>
    /// Accepts one connection on this listening socket (accept4(2) with SOCK_NONBLOCK | SOCK_CLOEXEC, a readiness wait
    /// only if none is pending). The new socket belongs to the same reactor.
    /// </summary>
    /// <remarks>Errors that accept(2) documents as the aborted connection's own (ECONNABORTED, EPROTO, network errors)
    /// are skipped, and the next connection is accepted.</remarks>
    /// <exception cref="UnixException">accept4 failed for the listener (EINVAL: not listening; EMFILE: out of
    /// descriptors), naming the call.</exception>
    /// <exception cref="ObjectDisposedException">This socket or its reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">A receive or accept is already pending, or off the loop thread.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<ReactorSocket> AcceptAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        _registration.Waiters!.Read.ThrowIfPending();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ReactorSocket>(cancellationToken);
        }

        ReactorSocket? accepted = TryAccept();
        return accepted is not null ? new ValueTask<ReactorSocket>(accepted) : AcceptAfterWaitAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a stream socket for <paramref name="endPoint"/>'s address family (TCP for IP), registers it with
    /// <paramref name="reactor"/> and connects it: connect(2) on the non-blocking socket, then, on EINPROGRESS, a wait
    /// for writability and the outcome read from SO_ERROR.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SocketException">The connection failed (e.g. ConnectionRefused), naming connect and the address.</exception>
    /// <exception cref="ObjectDisposedException">The reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the socket is closed).</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ReactorSocket> ConnectAsync(Reactor reactor, EndPoint endPoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(endPoint);
        cancellationToken.ThrowIfCancellationRequested();
        reactor.ThrowIfUnusableForAwait();
        ProtocolType protocol = endPoint.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? ProtocolType.Tcp
            : ProtocolType.Unspecified;
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, protocol);
        ReactorSocket? connected = null;
        try
        {
            connected = new ReactorSocket(reactor, socket);
            try
            {
                socket.Connect(endPoint);
                return connected;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                // EINPROGRESS: the handshake goes on; writability reports its end, SO_ERROR its outcome (connect(2)).
            }
            catch (SocketException exception)
            {
                throw connected.Failure(exception.SocketErrorCode, "connect", endPoint.ToString()!);
            }

            await connected._registration.WaitAsync(Interest.Writable, cancellationToken).ConfigureAwait(false);
            // .NET reads SO_ERROR already translated from errno to a SocketError.
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw connected.Failure(error, "connect", endPoint.ToString()!);
            }

            return connected;
        }
        catch
        {
            if (connected is not null)
            {
                connected.Dispose();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReactorSocket> AcceptAfterWaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _registration.WaitAsync(Interest.Readable, cancellationToken).ConfigureAwait(false);
            ThrowIfDisposed();
            if (TryAccept() is { } accepted)
            {
                return accepted;
            }
        }
    }

    /// <summary>accept4(2) until a connection or EAGAIN (null); a failure of the listener throws.</summary>
    private unsafe ReactorSocket? TryAccept()
    {
        while (true)
        {
            int fd;
            Errno errno;
            bool referenced = false;
            SafeHandle listener = Socket.SafeHandle;
            // SAFETY: the reference keeps the listener's descriptor open (and its number unreused) for this one call.
            listener.DangerousAddRef(ref referenced);
            try
            {
                // SAFETY: read while referenced; accept4(2) allows null address and length and then writes through neither.
                fd = LibC.accept4((int)listener.DangerousGetHandle(), null, null, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
                errno = fd >= 0 ? Errno.None : (Errno)Marshal.GetLastPInvokeError();
            }
            finally
            {
                if (referenced)
                {
                    listener.DangerousRelease(); // SAFETY: pairs with the successful AddRef above
                }
            }

            if (fd >= 0)
            {
                return Adopt(fd);
            }

            switch (errno)
            {
                case Errno.EAGAIN:
                    return null;
                case Errno.EINTR or (Errno)103 /* ECONNABORTED */ or (Errno)71 /* EPROTO */ or (Errno)100 /* ENETDOWN */
                    or (Errno)92 /* ENOPROTOOPT */ or (Errno)112 /* EHOSTDOWN */ or (Errno)64 /* ENONET */
                    or (Errno)113 /* EHOSTUNREACH */ or (Errno)95 /* EOPNOTSUPP */ or (Errno)101 /* ENETUNREACH */:
                    continue; // accept(2): a problem of that one connection; the listener is fine
                default:
                    throw new UnixException(errno, $"accept4(fd={_registration.Fd})");
            }
        }
    }

    /// <summary>Wraps an accepted descriptor; closes it if that fails, so no error path leaks it.</summary>
    private ReactorSocket Adopt(int fd)
    {
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch
        {
            _ = LibC.close(fd);
            throw;
        }

        try
        {
            return new ReactorSocket(_reactor, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
