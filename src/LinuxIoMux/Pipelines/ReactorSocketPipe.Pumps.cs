using System.Buffers;
using System.IO.Pipelines;

namespace LinuxIoMux;

public sealed partial class ReactorSocketPipe
{
    /// <summary>recv(2) into the received pipe's buffers until end of stream, an error, or the application stops reading.</summary>
    private async Task ReceiveLoopAsync()
    {
        PipeWriter writer = _received.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                // Wait for data before taking a pool block (a zero-byte receive without the syscall): an idle connection
                // holds no buffer, and at 256 busy connections a few hot blocks circulate instead of 256 cold ones.
                await _socket.WaitUntilReadableAsync();
                Memory<byte> buffer = writer.GetMemory(_minimumReceiveBufferSize);
                int received = await _socket.ReceiveAsync(buffer);
                if (received == 0)
                {
                    break; // end of stream (FIN), or our own shutdown(SHUT_RD) from Abort/DisposeAsync
                }

                writer.Advance(received);
                // Waits while the application holds ReceivePauseThreshold unread bytes: the back-pressure.
                FlushResult flushed = await writer.FlushAsync();
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break; // the application completed Input, or Abort cancelled the flush
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }

        writer.Complete(Volatile.Read(ref _aborted) != 0 ? _abortReason : error);
        _receiveStopped.TrySetResult();
    }

    /// <summary>
    /// send(2) what the application flushed, in order, until it completes Output, an error, or an abort; true when it
    /// ended because the application completed Output and everything was sent.
    /// </summary>
    private async Task<bool> SendLoopAsync()
    {
        PipeReader reader = _toSend.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync();
                if (result.IsCanceled)
                {
                    break; // Abort: unsent data is dropped
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                SendBatches++;
                foreach (ReadOnlyMemory<byte> segment in buffer)
                {
                    await _socket.SendAsync(segment);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    // The application's last byte is out: FIN, the receive side stays open (half-close).
                    _socket.ShutdownSend();
                    reader.Complete();
                    return true;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }

        reader.Complete(Volatile.Read(ref _aborted) != 0 ? _abortReason : error);
        return false;
    }
}
