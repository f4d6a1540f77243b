using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace LinuxIoMux.Samples;

/// <summary>
/// One client connection on a <see cref="Reactor"/>: reads into a fixed buffer, lets an
/// <see cref="IRequestProcessor"/> answer the complete requests, writes the replies, and applies back-pressure.
/// </summary>
/// <remarks>
/// <para><b>Bounded memory.</b> Input starts at <see cref="InitialInputBytes"/> and never exceeds the processor's
/// <see cref="IRequestProcessor.MaxRequestBytes"/> (the processor refuses larger requests). Output stops growing at <see cref="OutputLimit"/>: past it the connection
/// stops reading and processing until the client has read enough; a client that reads nothing stalls only itself.</para>
/// <para><b>Slow clients.</b> A partial request older than the server's request timeout closes the connection
/// (checked by <see cref="ConnectionSweeper"/>), so a client trickling bytes cannot hold a buffer forever. The age is
/// that of the oldest unanswered request, not of the buffer: a client that keeps completing requests is never
/// closed, however often its reads end mid-request.</para>
/// <para>Steady state allocates nothing: the buffers are reused, the handler is a static delegate.</para>
/// </remarks>
internal sealed class ProtocolConnection : ISweptConnection
{
    /// <summary>Reply bytes queued before the connection stops taking requests (what one slow reader may pin).</summary>
    internal const int OutputLimit = 256 * 1024;

    /// <summary>
    /// The input buffer a connection starts with (redis-server reads 16 KiB at a time too); it grows by doubling only
    /// while one request needs more, up to <see cref="IRequestProcessor.MaxRequestBytes"/>, so idle connections stay
    /// small.
    /// </summary>
    internal const int InitialInputBytes = 16 * 1024;

    private static readonly ReadinessHandler s_onReady = static (registration, readiness) =>
        ((ProtocolConnection)registration.State!).OnReady(readiness);

    private readonly Socket _socket;
    private readonly IRequestProcessor _processor;
    private readonly ConnectionSweeper _sweeper;
    private byte[] _input;
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly Registration _registration;
    private int _inputCount;
    private int _outputSent;
    private bool _closeAfterFlush;
    private bool _closed;

    internal ProtocolConnection(Reactor reactor, Socket socket, IRequestProcessor processor, ConnectionSweeper sweeper)
    {
        _socket = socket;
        _processor = processor;
        _sweeper = sweeper;
        _input = new byte[Math.Min(InitialInputBytes, processor.MaxRequestBytes)];
        socket.NoDelay = true;
        _registration = reactor.Register(socket, Interest.Readable, s_onReady, this);
        sweeper.Add(this);
    }

    /// <summary>Stopwatch timestamp since which a partial request has been waiting, or 0.</summary>
    public long PartialSince { get; private set; }

    /// <summary>Unregisters and closes the socket. Idempotent.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _sweeper.Remove(this);
        _registration.Dispose(); // before the socket: the registration must not outlive the descriptor
        _socket.Dispose();
    }

    private void OnReady(Readiness readiness)
    {
        if (readiness.IsWritable && !Flush())
        {
            return;
        }

        if ((readiness.IsReadable || readiness.IsHangUp || readiness.IsError) && !ReadAndProcess())
        {
            return;
        }

        UpdateInterest();
    }

    /// <summary>
    /// One read into the free part of the input buffer, then answers what is complete. One read per readiness, as
    /// redis-server does: the wait is level-triggered, so unread bytes are reported again, and reading on until
    /// EAGAIN would cost an extra recv(2) that finds nothing on almost every event.
    /// </summary>
    /// <returns>False once the connection is closed.</returns>
    private bool ReadAndProcess()
    {
        if (_closeAfterFlush || PendingOutput >= OutputLimit)
        {
            return true;
        }

        if (_inputCount == _input.Length && !GrowInput())
        {
            Close(); // a full buffer the processor neither answered nor refused: cannot happen with bounded parsers
            return false;
        }

        int received = _socket.ReceiveNonBlocking(_input.AsSpan(_inputCount), out _);
        if (received == NonBlockingSocket.WouldBlock)
        {
            return true;
        }

        if (received == 0 || received == NonBlockingSocket.Failed)
        {
            Close(); // end of stream or reset: whatever is unanswered has no one to go to
            return false;
        }

        _inputCount += received;
        Process();
        return Flush();
    }

    /// <summary>Doubles the input buffer, up to the processor's largest request.</summary>
    private bool GrowInput()
    {
        if (_input.Length >= _processor.MaxRequestBytes)
        {
            return false;
        }

        byte[] larger = new byte[Math.Min(_input.Length * 2, _processor.MaxRequestBytes)];
        _input.AsSpan(0, _inputCount).CopyTo(larger);
        _input = larger;
        return true;
    }

    private void Process()
    {
        int consumed = _processor.Process(_input.AsSpan(0, _inputCount), _output, OutputLimit, out bool close);
        _closeAfterFlush |= close;
        PartialSince = RequestInput.Consume(_input, ref _inputCount, consumed, PartialSince);
    }

    private int PendingOutput => _output.WrittenCount - _outputSent;

    /// <summary>
    /// Sends queued output until done or the socket is full. Once it has drained, requests held back by the output
    /// limit are answered (they need no new input) and sent in turn.
    /// </summary>
    /// <returns>False once the connection is closed.</returns>
    private bool Flush()
    {
        while (true)
        {
            while (PendingOutput > 0)
            {
                int sent = _socket.SendNonBlocking(_output.WrittenSpan[_outputSent..], out _);
                if (sent == NonBlockingSocket.WouldBlock)
                {
                    return true;
                }

                if (sent == NonBlockingSocket.Failed)
                {
                    Close();
                    return false;
                }

                _outputSent += sent;
            }

            _output.ResetWrittenCount();
            _outputSent = 0;
            if (_closeAfterFlush)
            {
                Close();
                return false;
            }

            if (_inputCount == 0)
            {
                return true;
            }

            Process();
            if (PendingOutput == 0)
            {
                return true;
            }
        }
    }

    private void UpdateInterest()
    {
        Interest wanted = PendingOutput > 0 ? Interest.Writable : Interest.None;
        if (!_closeAfterFlush && PendingOutput < OutputLimit && _inputCount < _processor.MaxRequestBytes)
        {
            wanted |= Interest.Readable;
        }

        if (wanted != _registration.Interest && wanted != Interest.None)
        {
            _registration.Modify(wanted);
        }
    }

    /// <summary>Closes the connection if its partial request has waited longer than <paramref name="timeout"/>.</summary>
    public void CloseIfStalled(long now, TimeSpan timeout)
    {
        if (PartialSince != 0 && Stopwatch.GetElapsedTime(PartialSince, now) > timeout)
        {
            Close();
        }
    }
}
