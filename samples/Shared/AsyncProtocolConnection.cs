using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace LinuxIoMux.Samples;

/// <summary>
/// One client connection as an async handler on a <see cref="ReactorSocket"/>: the same <see cref="IRequestProcessor"/>,
/// buffers and limits as the callback-driven <see cref="ProtocolConnection"/>, written as a read-process-send loop.
/// </summary>
/// <remarks>
/// <para><b>Back-pressure</b> comes from the shape of the loop: while <see cref="ReactorSocket.SendAsync"/> waits for
/// a client that does not read, nothing else is received, so at most <see cref="ProtocolConnection.OutputLimit"/>
/// bytes of replies are queued (the processor stops taking requests there).</para>
/// <para><b>Slow clients</b> are closed by the same <see cref="ConnectionSweeper"/>: closing disposes the socket, which
/// ends the pending receive with <see cref="ObjectDisposedException"/>.</para>
/// <para>Steady state allocates nothing: the buffers are reused and the awaits complete through the socket's reusable
/// value-task sources.</para>
/// </remarks>
internal sealed class AsyncProtocolConnection : ISweptConnection
{
    private readonly ReactorSocket _socket;
    private readonly IRequestProcessor _processor;
    private readonly ConnectionSweeper _sweeper;
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private byte[] _input;
    private int _inputCount;
    private bool _closed;

    internal AsyncProtocolConnection(ReactorSocket socket, IRequestProcessor processor, ConnectionSweeper sweeper)
    {
        _socket = socket;
        _processor = processor;
        _sweeper = sweeper;
        _input = new byte[Math.Min(ProtocolConnection.InitialInputBytes, processor.MaxRequestBytes)];
        socket.Socket.NoDelay = true;
        sweeper.Add(this);
    }

    /// <inheritdoc/>
    public long PartialSince { get; private set; }

    /// <summary>Serves the connection until end of stream, a reset, a close request or the sweeper.</summary>
    /// <returns>True when the server's shutdown ended it (its socket was disposed from outside).</returns>
    internal async Task<bool> RunAsync()
    {
        try
        {
            while (_inputCount < _input.Length || GrowInput())
            {
                int received = await _socket.ReceiveAsync(_input.AsMemory(_inputCount));
                if (received == 0)
                {
                    return false; // end of stream: whatever is unanswered has no one to go to
                }

                _inputCount += received;
                // Answer every complete request and send the replies; requests held back by the output limit are
                // answered once the output has gone out (they need no new input). Written here rather than as an
                // async helper: a helper's state machine (its builder's Start saves and restores the execution
                // context) ran once per request, and at redis-benchmark -P 1 every request is a suspension.
                while (true)
                {
                    int consumed = Process(out bool close);
                    if (_output.WrittenCount > 0)
                    {
                        await _socket.SendAsync(_output.WrittenMemory);
                        _output.ResetWrittenCount();
                    }

                    if (close)
                    {
                        return false; // the processor said so
                    }

                    if (consumed == 0 || _inputCount == 0)
                    {
                        break;
                    }
                }
            }

            return false; // a full buffer the processor neither answered nor refused: cannot happen with bounded parsers
        }
        catch (ObjectDisposedException) when (!_closed)
        {
            return true; // not closed by us: the group's shutdown disposed the socket
        }
        catch (Exception e) when (_closed || e is SocketException or UnixException)
        {
            return false; // closed by the sweeper, or reset by the peer: not a failure of the server
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Unregisters and closes the socket. Idempotent.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _sweeper.Remove(this);
        _socket.Dispose();
    }

    /// <inheritdoc/>
    public void CloseIfStalled(long now, TimeSpan timeout)
    {
        if (PartialSince != 0 && Stopwatch.GetElapsedTime(PartialSince, now) > timeout)
        {
            Close();
        }
    }

    private int Process(out bool close)
    {
        int consumed = _processor.Process(_input.AsSpan(0, _inputCount), _output, ProtocolConnection.OutputLimit, out close);
        // The request clock, as in ProtocolConnection (RequestInput.Consume says why it restarts per request).
        PartialSince = RequestInput.Consume(_input, ref _inputCount, consumed, PartialSince);
        return consumed;
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
}
