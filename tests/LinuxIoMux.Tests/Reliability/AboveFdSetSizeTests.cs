using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// CPython's ScalableSelectorMixIn.test_above_fd_setsize for poll, epoll and io_uring: raise RLIMIT_NOFILE to the hard limit,
/// register min(hard, 65536) - 32 descriptors (minus what the test host already holds), and see every one reported.
/// Skips, naming the limit, when the hard limit does not reach well past FD_SETSIZE.
/// </summary>
public abstract class AboveFdSetSizeTests
{
    private readonly ITestOutputHelper _output;

    protected AboveFdSetSizeTests(ITestOutputHelper output)
    {
        _output = output;
    }

    protected abstract MultiplexerKind Kind { get; }

    [SkippableFact]
    public void Every_one_of_thousands_of_descriptors_above_FD_SETSIZE_is_reported()
    {
        FdLimits before = FdLimits.Current;
        ulong target = Math.Min(before.IsHardUnlimited ? 65_536UL : before.Hard, 65_536UL) - 32;
        FdLimits.TryRaiseSoftLimit(target, out FdLimits limits);
        int open = OpenDescriptors.Count();
        // Each socketpair costs two descriptors; keep 200 for the runtime (threads, assemblies, the console).
        int pairs = (int)((Math.Min(limits.Soft, target) - (ulong)open - 200) / 2);
        Skip.If(pairs * 2 < 2 * FdSet.Capacity,
            $"{limits} allows only {pairs} socketpairs beside the {open} open descriptors: not enough to go well past FD_SETSIZE ({FdSet.Capacity})");

        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        var ends = new List<(FileDescriptorHandle Read, FileDescriptorHandle Write)>(pairs);
        try
        {
            using (Multiplexer multiplexer = Multiplexer.Create(Kind))
            {
                for (int i = 0; i < pairs; i++)
                {
                    var pair = SocketPair.Create();
                    ends.Add(pair);
                    multiplexer.Add(pair.First.Fd, Interest.Readable, (ulong)(2 * i));
                    multiplexer.Add(pair.Second.Fd, Interest.Writable, (ulong)(2 * i + 1));
                }

                int highest = ends[^1].Write.Fd;
                Assert.True(highest >= FdSet.Capacity, $"highest fd {highest} is not above FD_SETSIZE");
                var events = new ReadyEvent[2 * pairs + 16];

                // Nothing sent: exactly the write ends are ready, each once.
                int ready = multiplexer.Wait(events, TimeSpan.FromSeconds(10));
                AssertExactly(events.AsSpan(0, ready), pairs, odd: true);

                // One byte into every pair: now the read ends are ready too.
                foreach (var (_, write) in ends)
                {
                    Assert.Equal(1, write.Write("x"u8));
                }

                ready = multiplexer.Wait(events, TimeSpan.FromSeconds(10));
                Assert.Equal(2 * pairs, ready);
                AssertExactly(events.AsSpan(0, ready), pairs, odd: false);
                _output.WriteLine($"{Kind}: {2 * pairs} descriptors registered (highest fd {highest}, {limits}); all reported");
            }
        }
        finally
        {
            foreach (var (read, write) in ends)
            {
                read.Dispose();
                write.Dispose();
            }
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
    }

    private static void AssertExactly(ReadOnlySpan<ReadyEvent> events, int pairs, bool odd)
    {
        var seen = new bool[2 * pairs];
        int count = 0;
        foreach (ReadyEvent e in events)
        {
            int token = checked((int)e.Token);
            bool isWriteEnd = token % 2 == 1;
            if (odd && !isWriteEnd)
            {
                Assert.Fail($"read end {token / 2} reported before anything was sent: {e}");
            }

            Assert.True(isWriteEnd ? e.Readiness.IsWritable : e.Readiness.IsReadable, e.ToString());
            Assert.False(seen[token], $"token {token} reported twice");
            seen[token] = true;
            count++;
        }

        Assert.Equal(odd ? pairs : 2 * pairs, count);
    }
}

/// <summary>Above FD_SETSIZE on epoll.</summary>
public sealed class EpollAboveFdSetSizeTests(ITestOutputHelper output) : AboveFdSetSizeTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Epoll;
}

/// <summary>Above FD_SETSIZE on poll.</summary>
public sealed class PollAboveFdSetSizeTests(ITestOutputHelper output) : AboveFdSetSizeTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Poll;
}

/// <summary>Above FD_SETSIZE on io_uring: far more completions than its 4096-entry completion queue holds in one wait.</summary>
public sealed class IoUringAboveFdSetSizeTests : AboveFdSetSizeTests
{
    public IoUringAboveFdSetSizeTests(ITestOutputHelper output)
        : base(output)
    {
        IoUringSupport.SkipUnlessAvailable();
    }

    protected override MultiplexerKind Kind => MultiplexerKind.IoUring;
}
