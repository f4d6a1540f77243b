using System.IO.Pipelines;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Pipelines;

/// <summary>
/// Where the pumps' continuations run when the application is inline on the loop (Kestrel's inline mode): the
/// application's read in the receive pump's dispatch, the send pump once after it, and no eventfd wake for either.
/// </summary>
public abstract partial class ReactorSocketPipeTests
{
    [SkippableFact]
    public async Task Flushes_made_in_one_loop_turn_go_out_as_one_send_batch()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind, new ReactorSocketPipeOptions { ApplicationScheduler = PipeScheduler.Inline });
        long before = -1;
        await fixture.Reactor.Spawn(async () =>
        {
            before = fixture.Pipe.SendBatches;
            // Three flushes in one turn of the loop, as Kestrel's JSON response makes two (body, final chunk).
            await fixture.Pipe.Output.WriteAsync("one "u8.ToArray());
            await fixture.Pipe.Output.WriteAsync("two "u8.ToArray());
            await fixture.Pipe.Output.WriteAsync("three"u8.ToArray());
        }).WaitAsync(PipeFixture.Hang);

        byte[] received = new byte[13];
        ReadExactly(fixture.Peer, received);
        Assert.Equal("one two three"u8.ToArray(), received);
        long batches = -1;
        await fixture.Reactor.Spawn(() =>
        {
            batches = fixture.Pipe.SendBatches - before;
            return Task.CompletedTask;
        }).WaitAsync(PipeFixture.Hang);
        Assert.True(batches == 1, $"three flushes in one loop turn were sent in {batches} batches (expected one)");
    }

    [SkippableFact]
    public async Task An_inline_request_response_exchange_posts_only_the_send_and_never_wakes_the_loop()
    {
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind, new ReactorSocketPipeOptions { ApplicationScheduler = PipeScheduler.Inline });
        // The echo awaits without ConfigureAwait(false), as Kestrel does: it would capture the loop's SynchronizationContext.
        Task echo = fixture.SpawnEcho();
        byte[] message = new byte[32];
        void RoundTrips(int count)
        {
            for (int i = 0; i < count; i++)
            {
                fixture.Peer.Send(message);
                ReadExactly(fixture.Peer, message);
            }
        }

        await Task.Run(() => RoundTrips(10)).WaitAsync(PipeFixture.Hang); // the pumps and the echo are waiting now
        long before = Volatile.Read(ref fixture.Reactor.Counters.PostedActions);
        long wakesBefore = fixture.Reactor.WakeSignals;
        await Task.Run(() => RoundTrips(200)).WaitAsync(PipeFixture.Hang);
        long posted = Volatile.Read(ref fixture.Reactor.Counters.PostedActions) - before;
        long wakes = fixture.Reactor.WakeSignals - wakesBefore;

        // One post per round trip (the send pump, after the dispatch); the application's read resumes inline, and a post
        // made on the loop thread needs no eventfd wake.
        Assert.True(posted <= 200, $"{posted} actions posted to the loop over 200 inline round trips (expected at most one each)");
        Assert.True(wakes == 0, $"{wakes} eventfd wakes over 200 inline round trips (expected none)");
        fixture.Peer.Shutdown(SocketShutdown.Send);
        await echo.WaitAsync(PipeFixture.Hang);
    }
}
