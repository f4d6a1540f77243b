using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.IoUringBackend;

/// <summary>
/// What only the io_uring backend has to get right: its completion queue can overflow, its poll requests hold the
/// file open, and a request dies with the thread that submitted it.
/// </summary>
public class IoUringMultiplexerTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(30);

    public IoUringMultiplexerTests()
    {
        IoUringSupport.SkipUnlessAvailable();
    }

    [SkippableFact]
    public void One_wait_reports_every_ready_descriptor_when_their_completions_overflow_the_completion_queue()
    {
        const int Pairs = 100;
        using var multiplexer = new IoUringMultiplexer(submissionEntries: 8, completionEntries: 16);
        Assert.True(multiplexer.CompletionEntries < Pairs, $"the CQ holds {multiplexer.CompletionEntries}: no overflow to test");
        var pairs = new List<(FileDescriptorHandle First, FileDescriptorHandle Second)>();
        try
        {
            for (int i = 0; i < Pairs; i++)
            {
                pairs.Add(SocketPair.Create());
                multiplexer.Add(pairs[i].First.Fd, Interest.Writable, (ulong)i); // writable at once: 100 completions
            }

            var events = new ReadyEvent[2 * Pairs];
            int ready = multiplexer.Wait(events, HangDetector);
            Assert.Equal(Pairs, ready);
            Assert.Equal(Enumerable.Range(0, Pairs).Select(i => (ulong)i), events[..ready].Select(e => e.Token).Order());
            Assert.All(events[..ready], e => Assert.True(e.Readiness.IsWritable, e.ToString()));

            ready = multiplexer.Wait(events, HangDetector); // and, level-triggered, all of them again
            Assert.Equal(Pairs, ready);
        }
        finally
        {
            foreach (var (first, second) in pairs)
            {
                first.Dispose();
                second.Dispose();
            }
        }
    }

    [SkippableFact]
    public void Remove_cancels_the_poll_at_once_so_closing_the_descriptor_closes_the_socket()
    {
        using Multiplexer multiplexer = Multiplexer.Create(MultiplexerKind.IoUring);
        var (a, b) = SocketPair.Create();
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 1);
            Assert.Equal(0, multiplexer.Wait(new ReadyEvent[4], TimeSpan.Zero)); // the poll is now armed in the kernel
            Assert.True(multiplexer.Remove(a.Fd));
            a.Dispose();

            // If the poll request still held the file, the socket would still be open: b's read would say EAGAIN (-1).
            Assert.Equal(0, b.Read(new byte[1]));
        }
    }

    [SkippableFact]
    public void A_poll_cancelled_because_its_submitting_thread_exited_is_rearmed_by_the_next_wait()
    {
        using Multiplexer multiplexer = Multiplexer.Create(MultiplexerKind.IoUring);
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            multiplexer.Add(a.Fd, Interest.Readable, 7);
            var submitter = new Thread(() => multiplexer.Wait(new ReadyEvent[4], TimeSpan.Zero)); // arms the poll
            submitter.Start();
            Assert.True(submitter.Join(HangDetector));

            // The kernel cancelled that thread's request when it exited; the next wait must arm a new one.
            Assert.Equal(1, b.Write("x"u8));
            var events = new ReadyEvent[4];
            int ready = multiplexer.Wait(events, HangDetector);
            Assert.Equal(1, ready);
            Assert.Equal(7UL, events[0].Token);
            Assert.True(events[0].Readiness.IsReadable && !events[0].Readiness.IsError, events[0].ToString());
        }
    }
}
