using System.Net.Sockets;

namespace LinuxIoMux;

/// <summary>
/// Non-blocking <see cref="Socket"/> I/O over spans for readiness handlers: would-block is a return value, not an
/// exception, and nothing is allocated.
/// </summary>
/// <remarks>
/// <para>Built on <see cref="Socket.Receive(Span{byte}, SocketFlags, out SocketError)"/> and its Send twin, which on a
/// socket with <c>Blocking = false</c> make one recv(2)/send(2) call and report EAGAIN as
/// <see cref="SocketError.WouldBlock"/> without throwing. (A socket that was ever used with the Task-based async
/// methods is owned by .NET's own epoll engine; do not mix the two on one socket.)</para>
/// <para>Return values: bytes transferred (&gt; 0), 0 at end of stream (receive only), <see cref="WouldBlock"/> when
/// the kernel has nothing for now, <see cref="Failed"/> with the error in the out parameter (e.g.
/// <see cref="SocketError.ConnectionReset"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// int n = socket.ReceiveNonBlocking(buffer, out SocketError error);
/// if (n == NonBlockingSocket.WouldBlock) return;          // wait for the next readiness
/// if (n == 0 || n == NonBlockingSocket.Failed) Close();   // end of stream or error
/// </code>
/// </example>
public static class NonBlockingSocket
{
    /// <summary>Returned when the call would block (EAGAIN / EWOULDBLOCK): wait for readiness and retry.</summary>
    public const int WouldBlock = FileDescriptorHandle.WouldBlock;

    /// <summary>Returned when the call failed; the out parameter says why.</summary>
    public const int Failed = -2;

    /// <summary>Puts <paramref name="socket"/> in non-blocking mode (O_NONBLOCK through <c>Socket.Blocking</c>).</summary>
    public static void SetNonBlocking(this Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Blocking = false;
    }

    /// <summary>One recv(2) into <paramref name="buffer"/>.</summary>
    /// <returns>Bytes received, 0 at end of stream, <see cref="WouldBlock"/>, or <see cref="Failed"/>.</returns>
    public static int ReceiveNonBlocking(this Socket socket, Span<byte> buffer, out SocketError error)
    {
        int received = socket.Receive(buffer, SocketFlags.None, out error);
        return error switch
        {
            SocketError.Success => received,
            SocketError.WouldBlock => WouldBlock,
            _ => Failed,
        };
    }

    /// <summary>One send(2) of <paramref name="buffer"/>; a short send is normal when the send buffer fills.</summary>
    /// <returns>Bytes sent, <see cref="WouldBlock"/>, or <see cref="Failed"/>.</returns>
    public static int SendNonBlocking(this Socket socket, ReadOnlySpan<byte> buffer, out SocketError error)
    {
        int sent = socket.Send(buffer, SocketFlags.None, out error);
        return error switch
        {
            SocketError.Success => sent,
            SocketError.WouldBlock => WouldBlock,
            _ => Failed,
        };
    }
}
