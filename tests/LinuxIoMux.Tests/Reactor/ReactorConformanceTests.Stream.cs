using System.Text;
using LinuxIoMux.Tests.Util;
using Microsoft.Win32.SafeHandles;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>ReactorStream on every backend: a pipe, a pty and an eventfd.</summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void ReactorStream_carries_a_payload_larger_than_the_pipe_buffer_and_reads_end_of_stream()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (readEnd, writeEnd) = Pipe.Create(nonBlocking: false); // the stream makes them non-blocking itself
        using var reader = new ReactorStream(reactor, readEnd);
        var writer = new ReactorStream(reactor, writeEnd);
        byte[] payload = new byte[1 << 20]; // 16 times the default 64 KiB pipe buffer: the writer must wait
        new Random(11).NextBytes(payload);
        var received = new MemoryStream();

        Task writing = reactor.Spawn(async () =>
        {
            await writer.WriteAsync(payload);
            await writer.DisposeAsync(); // the reader sees end of stream
        });
        Task reading = reactor.Spawn(() => reader.CopyToAsync(received));
        RunUntil(reactor, () => writing.IsCompleted && reading.IsCompleted, "the payload crosses the pipe");
        writing.GetAwaiter().GetResult();
        reading.GetAwaiter().GetResult();
        Assert.True(payload.AsSpan().SequenceEqual(received.ToArray()), "the bytes read differ from the bytes written");
        Assert.Equal(1, reactor.RegistrationCount);
    }

    [SkippableFact]
    public void ReactorStream_on_a_pty_reads_what_the_terminal_side_writes_cancels_and_ends_when_it_closes()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (masterHandle, slaveHandle) = Pty.Open();
        using var master = new ReactorStream(reactor, masterHandle);
        var slave = new ReactorStream(reactor, slaveHandle);
        var seen = new StringBuilder();
        Task<bool> cancelledRead;
        using (var cancellation = new CancellationTokenSource())
        {
            cancelledRead = reactor.Spawn(async () =>
            {
                try
                {
                    int unexpected = await master.ReadAsync(new byte[16], cancellation.Token);
                    seen.Append($"[read {unexpected}]");
                }
                catch (OperationCanceledException)
                {
                    seen.Append("[cancelled]");
                }
            }).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
            reactor.RunOnce(TimeSpan.Zero);
            cancellation.Cancel();
            RunUntil(reactor, () => cancelledRead.IsCompleted, "the cancelled pty read completes");
        }

        Task talk = reactor.Spawn(async () =>
        {
            await slave.WriteAsync("hello from the terminal"u8.ToArray());
            byte[] buffer = new byte[64];
            int n;
            while (seen.ToString().Length < "[cancelled]hello from the terminal".Length && (n = await master.ReadAsync(buffer)) > 0)
            {
                seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            slave.Dispose(); // the last slave descriptor closes: the master reads end of stream (EIO)
            seen.Append(await master.ReadAsync(buffer) == 0 ? "[end]" : "[more]");
        });
        RunUntil(reactor, () => talk.IsCompleted, "the pty conversation completes");
        talk.GetAwaiter().GetResult();
        Assert.True(cancelledRead.Result);
        Assert.Equal("[cancelled]hello from the terminal[end]", seen.ToString());
    }

    [SkippableFact]
    public void ReactorStream_over_an_eventfd_reads_the_counter_and_refuses_synchronous_io()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var eventFd = new EventFd();
        using var stream = new ReactorStream(reactor, eventFd.Handle);
        byte[] counter = new byte[8];
        Task<int> read = stream.ReadAsync(counter).AsTask(); // nothing yet: waits
        Assert.False(read.IsCompleted);
        eventFd.Signal();
        RunUntil(reactor, () => read.IsCompleted, "the eventfd read completes");
        Assert.Equal(8, read.Result);
        Assert.Equal(1UL, BitConverter.ToUInt64(counter));

        NotSupportedException sync = Assert.Throws<NotSupportedException>(() => stream.Read(counter, 0, 8));
        Assert.Contains("ReadAsync", sync.Message);
        Assert.Throws<NotSupportedException>(() => stream.Write(counter, 0, 8));
        Assert.False(stream.CanSeek);
    }
}
