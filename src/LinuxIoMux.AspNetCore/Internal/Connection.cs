using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace LinuxIoMux.AspNetCore.Internal;

/// <summary>
/// One accepted connection as Kestrel sees it: a <see cref="ReactorSocketPipe"/> as the transport, plus the features
/// Kestrel reads (id, items, memory pool, end points, the socket, lifetime with abort and ConnectionClosed), the
/// same set and meaning as the Sockets transport's.
/// </summary>
internal sealed partial class Connection : ConnectionContext
{
    private readonly ReactorSocketPipe _pipe;
    private readonly CancellationTokenSource _closed = new();
    private IDictionary<object, object?>? _items;
    private int _disposed;

    public Connection(Reactor reactor, ReactorSocket socket, string id, MemoryPool<byte> pool, LinuxIoMuxTransportOptions options)
    {
        ConnectionId = id;
        MemoryPool = pool;
        LocalEndPoint = socket.Socket.LocalEndPoint;
        RemoteEndPoint = socket.Socket.RemoteEndPoint;
        PipeScheduler application = options.ApplicationScheduling == ApplicationScheduling.Inline ? PipeScheduler.Inline : PipeScheduler.ThreadPool;
        _pipe = new ReactorSocketPipe(reactor, socket, new ReactorSocketPipeOptions
        {
            Pool = pool,
            ApplicationScheduler = application,
            ReceivePauseThreshold = options.MaxReadBufferSize ?? 0,
            ReceiveResumeThreshold = (options.MaxReadBufferSize ?? 0) / 2,
            SendPauseThreshold = options.MaxWriteBufferSize ?? 0,
            SendResumeThreshold = (options.MaxWriteBufferSize ?? 0) / 2,
        });
        Transport = _pipe;
        Features = CreateFeatures();
        // ConnectionClosed fires when the receive side ends (FIN, reset, abort), as with the Sockets transport; on the
        // thread pool, so Kestrel's callbacks (request abort) never run inside the loop's receive pump.
        _pipe.ReceiveCompletion.ContinueWith(static (_, state) => ((Connection)state!).CancelClosed(), this,
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new ConnectionItems();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException("LinuxIoMux transport: ConnectionClosed is set by the transport");
    }

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public MemoryPool<byte> MemoryPool { get; }

    public Socket Socket => _pipe.Socket;

    /// <summary>IConnectionLifetimeFeature.Abort: drop unsent data, shut both directions down (the peer sees FIN, or RST with unread data).</summary>
    public override void Abort(ConnectionAbortedException abortReason) => _pipe.Abort(abortReason);

    /// <summary>Kestrel is done with the connection: what it wrote goes out, then the socket is shut down and closed.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _pipe.DisposeAsync().ConfigureAwait(false);
        CancelClosed();
        _closed.Dispose();
    }

    private void CancelClosed()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // DisposeAsync already fired it and released the source.
        }
    }
}
