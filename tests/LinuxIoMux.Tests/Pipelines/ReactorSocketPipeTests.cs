using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Pipelines;

/// <summary>
/// The <see cref="ReactorSocketPipe"/> contract on real loopback TCP, run once per backend by the subclasses in
/// ReactorSocketPipeBackendTests.cs: transfers both ways, half-close, peer reset, abort and dispose mid-transfer,
/// back-pressure both ways, no descriptor leaks, allocation per round trip.
/// </summary>
public abstract partial class ReactorSocketPipeTests(ITestOutputHelper output)
{
    protected abstract MultiplexerKind Kind { get; }

    [SkippableFact]
    public async Task Thirty_two_megabytes_each_way_through_an_echo_arrive_whole_and_in_order()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind);
        const int Total = 32 * 1024 * 1024;
        byte[] sent = RandomNumberGenerator.GetBytes(Total);
        Task echo = fixture.Pipe.Input.CopyToAsync(fixture.Pipe.Output);
        // The peer writes and reads at once (a sequential write of 32 MiB would fill both directions' buffers and stall).
        Task writer = Task.Run(() =>
        {
            fixture.Peer.Send(sent);
            fixture.Peer.Shutdown(SocketShutdown.Send);
        });
        byte[] received = await Task.Run(() => ReadExactly(fixture.Peer, Total));
        await writer.WaitAsync(PipeFixture.Hang);
        await echo.WaitAsync(PipeFixture.Hang); // the peer's FIN completed Input, so CopyToAsync ended
        Assert.True(sent.AsSpan().SequenceEqual(received), "the echoed bytes differ from the sent ones");
    }

    [SkippableFact]
    public async Task A_peer_fin_completes_Input_and_Output_still_sends()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind);
        fixture.Peer.Send("request"u8);
        fixture.Peer.Shutdown(SocketShutdown.Send);
        string received = await ReadToCompletion(fixture.Pipe.Input);
        Assert.Equal("request", received);

        await fixture.Pipe.Output.WriteAsync("reply"u8.ToArray()).AsTask().WaitAsync(PipeFixture.Hang);
        await fixture.Pipe.Output.CompleteAsync().AsTask().WaitAsync(PipeFixture.Hang);
        Assert.Equal("reply", Encoding.ASCII.GetString(await Task.Run(fixture.PeerReadToEnd).WaitAsync(PipeFixture.Hang)));
        await fixture.Pipe.Completion.WaitAsync(PipeFixture.Hang);
    }

    [SkippableFact]
    public async Task Completing_Output_sends_a_fin_and_receiving_goes_on()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind);
        await fixture.Pipe.Output.WriteAsync("bye"u8.ToArray()).AsTask().WaitAsync(PipeFixture.Hang);
        await fixture.Pipe.Output.CompleteAsync().AsTask().WaitAsync(PipeFixture.Hang);
        // Data, then end of stream; without the FIN the peer's read would block (bounded by its ReceiveTimeout and this guard).
        Assert.Equal("bye", Encoding.ASCII.GetString(await Task.Run(fixture.PeerReadToEnd).WaitAsync(PipeFixture.Hang)));

        fixture.Peer.Send("still here"u8); // the half-closed connection still carries the other direction
        fixture.Peer.Shutdown(SocketShutdown.Send);
        Assert.Equal("still here", await ReadToCompletion(fixture.Pipe.Input));
        await fixture.Pipe.Completion.WaitAsync(PipeFixture.Hang);
    }

    [SkippableFact]
    public async Task A_peer_reset_fails_Input_with_a_socket_error_naming_recv()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind);
        fixture.Peer.Send("x"u8);
        ReadResult first = await fixture.Pipe.Input.ReadAsync().AsTask().WaitAsync(PipeFixture.Hang);
        fixture.Pipe.Input.AdvanceTo(first.Buffer.End);
        fixture.Peer.LingerState = new LingerOption(true, 0);
        fixture.Peer.Close(); // RST

        var failure = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            while (true)
            {
                ReadResult result = await fixture.Pipe.Input.ReadAsync().AsTask().WaitAsync(PipeFixture.Hang);
                fixture.Pipe.Input.AdvanceTo(result.Buffer.End);
                Assert.False(result.IsCompleted, "Input completed without an error after a reset");
            }
        });
        Assert.Equal(SocketError.ConnectionReset, failure.SocketErrorCode);
        Assert.Contains("recv(fd=", failure.Message);
        // The send side ends when the application completes Output (as Kestrel does after an input error).
        await fixture.Pipe.Output.CompleteAsync();
        await fixture.Pipe.Completion.WaitAsync(PipeFixture.Hang);
    }

    [SkippableFact]
    public async Task Abort_while_both_pumps_are_blocked_ends_them_and_fails_the_application_side_with_the_reason()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind, new ReactorSocketPipeOptions
        {
            ApplicationScheduler = PipeScheduler.ThreadPool,
            ReceivePauseThreshold = 64 * 1024,
            ReceiveResumeThreshold = 32 * 1024,
        });
        // Receive pump parked in FlushAsync (the application does not read), send pump parked on a full socket.
        _ = Task.Run(() => FillNonBlocking(fixture.Peer, 8 * 1024 * 1024));
        // A flush can wait while the send pump is still filling the socket and complete once the pump has sent enough
        // (seen on a loaded machine and under qemu); only a full socket keeps it waiting. So write on until a flush has
        // stayed waiting for a second: without back-pressure every flush completes and the attempts run out.
        Task<FlushResult> pendingFlush = WriteUntilFlushWaits(fixture.Pipe.Output, 16 * 1024 * 1024);
        for (int attempt = 0; attempt < 8; attempt++)
        {
            if (!pendingFlush.IsCompleted && await Task.WhenAny(pendingFlush, Task.Delay(1000)) != pendingFlush)
            {
                break;
            }

            pendingFlush = WriteUntilFlushWaits(fixture.Pipe.Output, 16 * 1024 * 1024);
        }

        Assert.False(pendingFlush.IsCompleted, "the application's flush never waited: no send-side back-pressure");

        var reason = new IOException("test abort");
        fixture.Pipe.Abort(reason);
        await fixture.Pipe.Completion.WaitAsync(PipeFixture.Hang);
        // The waiting flush ends with the reason too (nobody sends any more), unless the send pump had already made room
        // for it before the abort reached the loop: then it completed normally, and must not hang either way.
        try
        {
            await pendingFlush.WaitAsync(PipeFixture.Hang);
        }
        catch (IOException flushFailure)
        {
            Assert.Same(reason, flushFailure);
        }

        IOException failure = await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (true)
            {
                ReadResult result = await fixture.Pipe.Input.ReadAsync();
                fixture.Pipe.Input.AdvanceTo(result.Buffer.End);
            }
        });
        Assert.Same(reason, failure);
    }

    [SkippableFact]
    public async Task DisposeAsync_with_an_idle_peer_sends_what_was_written_then_closes()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind);
        // The peer neither sends nor closes: the receive pump sits in a readiness wait that only the pipe can end.
        await fixture.Pipe.Output.WriteAsync("last words"u8.ToArray());
        await fixture.Pipe.DisposeAsync().AsTask().WaitAsync(PipeFixture.Hang);
        Assert.True(fixture.Pipe.Socket.SafeHandle.IsClosed, "the socket is still open after DisposeAsync");
        Assert.Equal("last words", Encoding.ASCII.GetString(await Task.Run(fixture.PeerReadToEnd)));
    }

    [SkippableFact]
    public async Task The_receive_side_stops_reading_at_the_pause_threshold()
    {
        const int Pause = 64 * 1024;
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind, new ReactorSocketPipeOptions
        {
            ApplicationScheduler = PipeScheduler.ThreadPool,
            ReceivePauseThreshold = Pause,
            ReceiveResumeThreshold = Pause / 2,
        });
        // The peer writes until the kernel refuses more: with the pump paused, the pipe holds about Pause bytes and
        // the rest waits in the socket buffers; without back-pressure the pipe would have taken nearly all of it.
        long sent = await Task.Run(() => FillNonBlocking(fixture.Peer, 32 * 1024 * 1024));
        ReadResult buffered = await fixture.Pipe.Input.ReadAsync();
        long held = buffered.Buffer.Length;
        fixture.Pipe.Input.AdvanceTo(buffered.Buffer.Start);
        output.WriteLine($"peer wrote {sent} bytes before EAGAIN; the pipe holds {held}");
        Assert.True(held <= Pause + 64 * 1024, $"the pipe holds {held} bytes, past the {Pause}-byte pause threshold");
        Assert.True(sent > held, "the peer could not write past what the pipe holds");
    }

    [SkippableFact]
    public async Task Opening_and_closing_a_hundred_pipes_leaks_no_descriptor()
    {
        await (await PipeFixture.StartAsync(Kind)).DisposeAsync(); // the runtime's own first-use descriptors
        (int before, Dictionary<int, string> snapshot) = EpollFdSnapshot.Start();
        for (int i = 0; i < 100; i++)
        {
            PipeFixture fixture = await PipeFixture.StartAsync(Kind);
            fixture.Peer.Send("ping"u8);
            ReadResult result = await fixture.Pipe.Input.ReadAsync().AsTask().WaitAsync(PipeFixture.Hang);
            fixture.Pipe.Input.AdvanceTo(result.Buffer.End);
            await (i % 2 == 0 ? fixture.Pipe.DisposeAsync() : fixture.DisposeAsync());
            if (i % 2 == 0)
            {
                await fixture.DisposeAsync();
            }
        }

        EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);
    }

    [SkippableFact]
    public async Task An_inline_echo_round_trip_allocates_a_bounded_few_bytes()
    {
        // The thread-per-core shape: the application loop runs on the reactor (Spawn, inline scheduler).
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind, new ReactorSocketPipeOptions { ApplicationScheduler = PipeScheduler.Inline });
        Task echo = fixture.Reactor.Spawn(() => fixture.Pipe.Input.CopyToAsync(fixture.Pipe.Output));
        byte[] message = new byte[64];
        byte[] reply = new byte[64];
        void RoundTrips(int count)
        {
            for (int i = 0; i < count; i++)
            {
                fixture.Peer.Send(message);
                ReadExactly(fixture.Peer, reply);
            }
        }

        await Task.Run(() => RoundTrips(2_000)); // warm-up: JIT, pooled segments, pooled async boxes
        const int Measured = 10_000;
        long allocated = await Task.Run(() =>
        {
            long start = GC.GetTotalAllocatedBytes(precise: true);
            RoundTrips(Measured);
            return GC.GetTotalAllocatedBytes(precise: true) - start;
        });
        double perRoundTrip = (double)allocated / Measured;
        output.WriteLine($"{Kind}: {allocated} bytes over {Measured} 64-byte echo round trips = {perRoundTrip:F1} B per round trip (whole process)");
        // Whole-process count (the test runner allocates a little beside it; measured 100-300 B on this machine): a
        // bound that catches a buffer or a Task per operation, not a claim of zero.
        Assert.True(perRoundTrip < 1024, $"{perRoundTrip:F1} bytes allocated per round trip");
        fixture.Peer.Shutdown(SocketShutdown.Send);
        await echo.WaitAsync(PipeFixture.Hang);
    }

    private static async Task<string> ReadToCompletion(PipeReader input)
    {
        var text = new StringBuilder();
        while (true)
        {
            ReadResult result = await input.ReadAsync().AsTask().WaitAsync(PipeFixture.Hang);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                text.Append(Encoding.ASCII.GetString(segment.Span));
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return text.ToString();
            }
        }
    }

    private static byte[] ReadExactly(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        ReadExactly(socket, buffer);
        return buffer;
    }

    private static void ReadExactly(Socket socket, byte[] buffer)
    {
        for (int at = 0; at < buffer.Length;)
        {
            int n = socket.Receive(buffer, at, buffer.Length - at, SocketFlags.None);
            Assert.True(n > 0, $"end of stream after {at} of {buffer.Length} bytes");
            at += n;
        }
    }

    /// <summary>Sends from <paramref name="peer"/> without blocking until the kernel says EAGAIN (or the limit); returns the bytes sent.</summary>
    private static long FillNonBlocking(Socket peer, long limit)
    {
        byte[] chunk = new byte[16 * 1024];
        long sent = 0;
        peer.Blocking = false;
        try
        {
            // Let the server's pump drain into the pipe until it pauses: EAGAIN several times in a row, a pause apart.
            for (int idle = 0; idle < 20 && sent < limit;)
            {
                int n = peer.Send(chunk, 0, chunk.Length, SocketFlags.None, out SocketError error);
                if (error == SocketError.WouldBlock)
                {
                    idle++;
                    Thread.Sleep(10);
                    continue;
                }

                Assert.Equal(SocketError.Success, error);
                idle = 0;
                sent += n;
            }
        }
        finally
        {
            peer.Blocking = true;
        }

        return sent;
    }

    /// <summary>Writes 64 KiB blocks and flushes until a flush does not complete at once; returns that flush.</summary>
    private static Task<FlushResult> WriteUntilFlushWaits(PipeWriter writer, long limit)
    {
        byte[] block = new byte[64 * 1024];
        for (long written = 0; written < limit; written += block.Length)
        {
            block.CopyTo(writer.GetSpan(block.Length));
            writer.Advance(block.Length);
            ValueTask<FlushResult> flush = writer.FlushAsync();
            if (!flush.IsCompleted)
            {
                return flush.AsTask();
            }
        }

        return Task.FromResult(new FlushResult(isCanceled: false, isCompleted: false));
    }
}
