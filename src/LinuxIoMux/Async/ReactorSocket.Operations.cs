using System.Net.Sockets;

namespace LinuxIoMux;

/// <summary>The reusable waiting halves of <see cref="ReactorSocket"/>'s operations (one object each per socket).</summary>
public sealed partial class ReactorSocket
{
    private ReceiveOperation? _receive;
    private SendOperation? _send;
    private AcceptOperation? _accept;

    private ReceiveOperation Receiving => _receive ??= new ReceiveOperation(this);

    private SendOperation Sending => _send ??= new SendOperation(this);

    private AcceptOperation Accepting => _accept ??= new AcceptOperation(this);

    /// <summary>recv(2) into the caller's buffer after each readable report.</summary>
    private sealed class ReceiveOperation(ReactorSocket socket) : ReadinessOperation<int>(socket._registration, Interest.Readable)
    {
        internal Memory<byte> Buffer { get; set; }

        protected override bool TryComplete(out int result)
        {
            socket.ThrowIfDisposed();
            result = socket.TryReceive(Buffer.Span);
            return result >= 0;
        }

        protected override void Clear() => Buffer = default;
    }

    /// <summary>send(2) of what is left after each writable report, until nothing is.</summary>
    private sealed class SendOperation(ReactorSocket socket) : ReadinessOperation<int>(socket._registration, Interest.Writable)
    {
        internal ReadOnlyMemory<byte> Rest { get; set; }

        protected override bool TryComplete(out int result)
        {
            socket.ThrowIfDisposed();
            result = 0;
            while (Rest.Length > 0)
            {
                int sent = socket.TrySend(Rest.Span);
                if (sent < 0)
                {
                    return false;
                }

                Rest = Rest[sent..];
            }

            return true;
        }

        protected override void Clear() => Rest = default;
    }

    /// <summary>accept4(2) after each readable report of the listener.</summary>
    private sealed class AcceptOperation(ReactorSocket socket) : ReadinessOperation<ReactorSocket>(socket._registration, Interest.Readable)
    {
        protected override bool TryComplete(out ReactorSocket result)
        {
            socket.ThrowIfDisposed();
            result = socket.TryAccept()!;
            return result is not null;
        }
    }
}
