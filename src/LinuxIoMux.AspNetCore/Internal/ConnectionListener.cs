using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace LinuxIoMux.AspNetCore.Internal;

/// <summary>
/// One bound endpoint: a listening socket per loop (SO_REUSEPORT: the kernel spreads connections across them), an
/// accept loop on each reactor, and the accepted connections handed to Kestrel through a channel.
/// </summary>
internal sealed class ConnectionListener : IConnectionListener
{
    private const int SolSocket = 1;    // SOL_SOCKET, <asm-generic/socket.h>
    private const int SoReusePort = 15; // SO_REUSEPORT, <asm-generic/socket.h> (x86-64 and arm64 alike)

    private readonly ReactorLoops _loops;
    private readonly MemoryPool<byte> _pool;
    private readonly LinuxIoMuxTransportOptions _options;
    private readonly Channel<Connection> _accepted = Channel.CreateUnbounded<Connection>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CancellationTokenSource _unbind = new();
    private readonly Task[] _acceptLoops;
    private long _connectionIds;
    private int _disposed;

    private ConnectionListener(IPEndPoint endpoint, ReactorLoops loops, Socket[] listeners, LinuxIoMuxTransportOptions options, MemoryPool<byte> pool)
    {
        EndPoint = endpoint;
        _loops = loops;
        _options = options;
        _pool = pool;
        _acceptLoops = new Task[listeners.Length];
        for (int i = 0; i < listeners.Length; i++)
        {
            Reactor reactor = loops.Reactors[i];
            Socket listener = listeners[i];
            _acceptLoops[i] = reactor.Spawn(() => AcceptLoopAsync(reactor, listener));
        }
    }

    public EndPoint EndPoint { get; }

    /// <summary>Starts the loops and binds their listeners; on any failure closes what it opened and rethrows.</summary>
    public static ConnectionListener Start(IPEndPoint endpoint, LinuxIoMuxTransportOptions options, MemoryPool<byte> pool)
    {
        var listeners = new List<Socket>();
        ReactorLoops? loops = null;
        try
        {
            loops = new ReactorLoops(options.Backend, options.LoopCount, options.PinLoopsToCpus);
            IPEndPoint bound = endpoint;
            foreach (Reactor _ in loops.Reactors)
            {
                var listener = new Socket(bound.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                listeners.Add(listener);
                listener.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
                if (bound.AddressFamily == AddressFamily.InterNetworkV6 && bound.Address.Equals(IPAddress.IPv6Any))
                {
                    listener.DualMode = true; // [::] takes IPv4 too, as Kestrel's Sockets transport does
                }

                listener.Bind(bound);
                listener.Listen(options.Backlog);
                // Port 0: the first bind picks the port, the other loops join it.
                bound = (IPEndPoint)listener.LocalEndPoint!;
            }

            return new ConnectionListener(bound, loops, listeners.ToArray(), options, pool);
        }
        catch
        {
            foreach (Socket listener in listeners)
            {
                listener.Dispose();
            }

            loops?.Dispose();
            throw;
        }
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null; // unbound: Kestrel stops its accept loop on null
        }
    }

    /// <summary>Stops accepting: every loop's listener is closed (new connections are refused); open ones go on.</summary>
    public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbind.Cancel();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _accepted.Writer.TryComplete();
    }

    /// <summary>Unbinds, aborts connections Kestrel never took, stops the loops and releases the memory pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await UnbindAsync().ConfigureAwait(false);
        while (_accepted.Reader.TryRead(out Connection? orphan))
        {
            await orphan.DisposeAsync().ConfigureAwait(false);
        }

        _loops.Dispose();
        if (!ReferenceEquals(_pool, MemoryPool<byte>.Shared))
        {
            _pool.Dispose();
        }

        _unbind.Dispose();
    }

    private async Task AcceptLoopAsync(Reactor reactor, Socket listenerSocket)
    {
        using var listener = new ReactorSocket(reactor, listenerSocket);
        CancellationToken unbind = _unbind.Token;
        while (!unbind.IsCancellationRequested)
        {
            ReactorSocket accepted;
            try
            {
                accepted = await listener.AcceptAsync(unbind);
            }
            catch (OperationCanceledException) when (unbind.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsOutOfDescriptors(e))
            {
                // EMFILE/ENFILE: the connection stays in the backlog; retry shortly instead of spinning on a ready listener.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), unbind);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            if (_options.NoDelay)
            {
                accepted.Socket.NoDelay = true;
            }

            string id = $"{EndPoint}-{Interlocked.Increment(ref _connectionIds)}";
            _accepted.Writer.TryWrite(new Connection(reactor, accepted, id, _pool, _options));
        }
    }

    private static bool IsOutOfDescriptors(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.TooManyOpenSockets }
        || e is UnixException { Errno: Errno.EMFILE or Errno.ENFILE };
}
