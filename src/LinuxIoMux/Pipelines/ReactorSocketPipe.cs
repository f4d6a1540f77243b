using System.IO.Pipelines;
using System.Net.Sockets;
// LinuxIoMux.Pipe is the pipe(2) wrapper; the pipes here are System.IO.Pipelines ones.
using DataPipe = System.IO.Pipelines.Pipe;

namespace LinuxIoMux;

/// <summary>
/// A System.IO.Pipelines <see cref="IDuplexPipe"/> over a <see cref="ReactorSocket"/>: the socket's loop pumps received
/// bytes into <see cref="Input"/> and sends what the application writes to <see cref="Output"/>, with back-pressure both
/// ways, half-close and abort. This is the shape Kestrel and other Pipelines protocol code consume.
/// </summary>
/// <remarks>
/// <para>Both pumps run on the socket's loop (started through <see cref="Reactor.Spawn(Func{Task})"/>), so every recv(2)
/// and send(2) happens on that thread; the application side may run anywhere (see
/// <see cref="ReactorSocketPipeOptions.ApplicationScheduler"/>).</para>
/// <para>End of stream from the peer completes <see cref="Input"/>; completing <see cref="Output"/> sends what was
/// written and then a FIN (shutdown(SHUT_WR)), leaving the receive side open (half-close). A receive or send error
/// completes the pipes with it (a <see cref="UnixException"/> or <see cref="SocketException"/> naming the errno).
/// <see cref="Abort"/> drops unsent data and shuts both directions down; <see cref="DisposeAsync"/> lets what was
/// already written go out first. The socket is closed on its loop once both pumps have stopped.</para>
/// </remarks>
public sealed partial class ReactorSocketPipe : IDuplexPipe, IAsyncDisposable
{
    private readonly ReactorSocket _socket;
    private readonly DataPipe _received;
    private readonly DataPipe _toSend;
    private readonly int _minimumReceiveBufferSize;
    private readonly TaskCompletionSource _receiveStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _abortReason;
    private int _aborted;
    private int _disposing;
    private int _sendStopped;

    /// <summary>Starts pumping <paramref name="socket"/> on <paramref name="reactor"/>'s loop (callable from any thread).</summary>
    /// <param name="reactor">The loop the socket is registered with.</param>
    /// <param name="socket">A connected socket; the pipe owns it from now on and disposes it at the end.</param>
    /// <param name="options">Buffers and thresholds; null means <see cref="ReactorSocketPipeOptions.Default"/>.</param>
    public ReactorSocketPipe(Reactor reactor, ReactorSocket socket, ReactorSocketPipeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(socket);
        options ??= ReactorSocketPipeOptions.Default;
        _socket = socket;
        _minimumReceiveBufferSize = options.MinimumReceiveBufferSize;
        // The loop side of each pipe resumes on the loop: inline when completed there, posted from elsewhere. No pipe
        // captures a SynchronizationContext: that posted every continuation, even on the loop (ReactorLoopScheduler.cs).
        var loop = new ReactorLoopScheduler(reactor);
        _received = new DataPipe(new PipeOptions(options.Pool, readerScheduler: options.ApplicationScheduler, writerScheduler: loop,
            pauseWriterThreshold: options.ReceivePauseThreshold, resumeWriterThreshold: options.ReceiveResumeThreshold,
            minimumSegmentSize: options.MinimumReceiveBufferSize, useSynchronizationContext: false));
        _toSend = new DataPipe(new PipeOptions(options.Pool, readerScheduler: loop, writerScheduler: options.ApplicationScheduler,
            pauseWriterThreshold: options.SendPauseThreshold, resumeWriterThreshold: options.SendResumeThreshold,
            useSynchronizationContext: false));
        Completion = reactor.Spawn(static pipe => pipe.RunAsync(), this);
    }

    /// <summary>What the peer sent: the application reads here.</summary>
    public PipeReader Input => _received.Reader;

    /// <summary>What to send: the application writes and flushes here.</summary>
    public PipeWriter Output => _toSend.Writer;

    /// <summary>The socket being pumped (for its options and addresses; do not read or write it directly).</summary>
    public Socket Socket => _socket.Socket;

    /// <summary>Completes when the receive pump has stopped: end of stream, an error, or <see cref="Abort"/>.</summary>
    public Task ReceiveCompletion => _receiveStopped.Task;

    /// <summary>Completes when both pumps have stopped and the socket is closed.</summary>
    public Task Completion { get; }

    /// <summary>Reads of the send pipe that had bytes to send (for tests and diagnostics: flushes made in one loop
    /// turn should come out as one).</summary>
    internal long SendBatches { get; private set; }

    /// <summary>
    /// Drops data not yet sent and shuts the socket down both ways (shutdown(SHUT_RDWR)), which ends both pumps; the
    /// application's side of the pipes completes with <paramref name="reason"/> (or an <see cref="OperationCanceledException"/>).
    /// Callable from any thread, any number of times.
    /// </summary>
    public void Abort(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _abortReason = reason ?? new OperationCanceledException("the ReactorSocketPipe was aborted");
        ShutdownBoth();
        _toSend.Reader.CancelPendingRead();
        _received.Writer.CancelPendingFlush();
    }

    /// <summary>
    /// Stops reading, sends what the application already wrote, then shuts the socket down and waits until it is closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposing, 1);
        _received.Reader.Complete();
        _toSend.Writer.Complete();
        if (Volatile.Read(ref _sendStopped) != 0)
        {
            ShutdownBoth();
        }

        await Completion.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        Task receiving = ReceiveLoopAsync();
        bool sentAll = await SendLoopAsync();
        Interlocked.Exchange(ref _sendStopped, 1);
        // A failed send means the connection is gone: wake the receive pump rather than wait for the peer. Disposed: the
        // application reads no more, so a receive pump parked on an idle socket must be woken too. This and DisposeAsync
        // both write their flag before reading the other's, so at least one of them shuts the socket down.
        if (!sentAll || Volatile.Read(ref _disposing) != 0)
        {
            ShutdownBoth();
        }

        await receiving;
        _socket.Dispose();
    }

    private void ShutdownBoth()
    {
        try
        {
            _socket.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (ObjectDisposedException)
        {
            // Already closed by the loop: both pumps have stopped, nothing left to wake.
        }
        catch (SocketException)
        {
            // ENOTCONN: the peer reset the connection first; the pumps see that themselves.
        }
    }
}
