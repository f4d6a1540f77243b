using CsCheck;
using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// Property-based differential test: random sequences of open, close, write, read, shutdown, register, modify and
/// unregister on real AF_UNIX socketpairs, after every step of which the epoll, poll, select and (where the kernel
/// allows it) io_uring multiplexers must
/// report exactly what a small model of readiness predicts (and so agree with each other). CsCheck shrinks a failing
/// sequence to a minimal one and prints it with its seed.
/// </summary>
/// <remarks>
/// The model: an end is readable iff bytes sent to it are unread, or its receive side is shut down (its own SHUT_RD,
/// the peer's SHUT_WR, or the peer closed); it is always writable while open, because writes stay small (at most 40
/// writes of at most 64 bytes per sequence; a socketpair end measured here takes about 70 such writes before it stops
/// being writable). Closing an end with unread data makes the peer's first read after its own queue is drained fail with ECONNRESET
/// (unix_release_sock sets the peer's sk_err).
/// Only readable and writable are compared: hang-up and error are hints that select never gives.
/// </remarks>
public class ReadinessModelPropertyTests
{
    private const int Pairs = 3;
    private const int MaxSteps = 40;

    private readonly ITestOutputHelper _output;

    public ReadinessModelPropertyTests(ITestOutputHelper output)
    {
        _output = output;
    }

    internal enum Step
    {
        Open,
        Close,
        Write,
        Read,
        ShutdownRead,
        ShutdownWrite,
        Register,
        Modify,
        Unregister,
    }

    /// <summary>One step of a sequence: what to do to which end (pair, side) with which size or interest.</summary>
    internal readonly record struct Operation(Step Step, int Pair, int Side, int Amount, Interest Interest)
    {
        public override string ToString() => Step switch
        {
            Step.Write or Step.Read => $"{Step}(p{Pair}.{Side}, {Amount})",
            Step.Register or Step.Modify => $"{Step}(p{Pair}.{Side}, {Interest})",
            _ => $"{Step}(p{Pair}.{Side})",
        };
    }

    private static readonly Gen<Step> s_step = Gen.Frequency(
        (1, Gen.Const(Step.Open)),
        (1, Gen.Const(Step.Close)),
        (4, Gen.Const(Step.Write)),
        (4, Gen.Const(Step.Read)),
        (1, Gen.Const(Step.ShutdownRead)),
        (1, Gen.Const(Step.ShutdownWrite)),
        (4, Gen.Const(Step.Register)),
        (2, Gen.Const(Step.Modify)),
        (2, Gen.Const(Step.Unregister)));

    private static readonly Gen<Operation> s_operation = Gen.Select(
        s_step, Gen.Int[0, Pairs - 1], Gen.Int[0, 1], Gen.Int[1, 64], Gen.Int[1, 3],
        (step, pair, side, amount, interest) => new Operation(step, pair, side, amount, (Interest)interest));

    internal static readonly Gen<Operation[]> Sequences = s_operation.Array[1, MaxSteps];

    [Fact]
    public void Every_backend_agrees_with_the_readiness_model_on_random_sequences()
    {
        int iterations = ReliabilityRun.Pick(3_000, 100_000);
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        long steps = 0, checks = 0;
        Sequences.Sample(sequence =>
        {
            using var world = new World();
            foreach (Operation operation in sequence)
            {
                world.Apply(operation);
                steps++;
                checks += world.CheckEveryMultiplexer(operation);
            }
        }, iter: iterations, threads: 1);

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
        ReliabilityRun.Figure(_output, $"readiness model: {iterations} random sequences, {steps} steps, {checks} backend waits compared with the model, 0 disagreements, 0 descriptors leaked");
    }

    /// <summary>The real socketpairs, the three multiplexers watching them, and the model beside them.</summary>
    private sealed class World : IDisposable
    {
        private readonly Multiplexer[] _multiplexers = Enum.GetValues<MultiplexerKind>()
            .Where(Multiplexer.IsSupported) // io_uring only where the kernel and any seccomp filter allow it
            .Select(Multiplexer.Create)
            .ToArray();

        private readonly End[] _ends = new End[2 * Pairs];
        private readonly ReadyEvent[] _events = new ReadyEvent[4 * Pairs];
        private readonly byte[] _buffer = new byte[128];
        private ulong _nextToken = 1;

        public World()
        {
            for (int i = 0; i < _ends.Length; i++)
            {
                _ends[i] = new End();
            }

            for (int pair = 0; pair < Pairs; pair++)
            {
                OpenPair(pair);
            }
        }

        public void Apply(Operation operation)
        {
            int index = 2 * operation.Pair + operation.Side;
            End end = _ends[index];
            End peer = _ends[index ^ 1];
            if (operation.Step == Step.Open)
            {
                if (end.Handle is null && peer.Handle is null)
                {
                    OpenPair(operation.Pair);
                }

                return;
            }

            if (end.Handle is null)
            {
                return; // every other step needs an open end: skipping keeps every subsequence valid, which shrinking needs
            }

            switch (operation.Step)
            {
                case Step.Close:
                    Unregister(end);
                    end.Handle.Dispose();
                    end.Handle = null;
                    if (peer.Handle is not null)
                    {
                        peer.ReceiveShutdown = true;
                        peer.SendShutdown = true;
                        peer.PendingReset |= end.Unread > 0;
                    }

                    break;
                case Step.Write:
                    Write(end, peer, operation.Amount);
                    break;
                case Step.Read:
                    Read(end, operation.Amount);
                    break;
                case Step.ShutdownRead:
                    RawShutdown.Apply(end.Handle, RawShutdown.Read);
                    end.ReceiveShutdown = true;
                    peer.SendShutdown = true;
                    break;
                case Step.ShutdownWrite:
                    RawShutdown.Apply(end.Handle, RawShutdown.Write);
                    end.SendShutdown = true;
                    peer.ReceiveShutdown = true;
                    break;
                case Step.Register when end.Interest == Interest.None:
                    end.Interest = operation.Interest;
                    end.Token = _nextToken++;
                    foreach (Multiplexer multiplexer in _multiplexers)
                    {
                        multiplexer.Add(end.Handle.Fd, end.Interest, end.Token);
                    }

                    break;
                case Step.Modify when end.Interest != Interest.None:
                    end.Interest = operation.Interest;
                    end.Token = _nextToken++;
                    foreach (Multiplexer multiplexer in _multiplexers)
                    {
                        multiplexer.Modify(end.Handle.Fd, end.Interest, end.Token);
                    }

                    break;
                case Step.Unregister:
                    Unregister(end);
                    break;
            }
        }

        /// <returns>The number of waits compared.</returns>
        public int CheckEveryMultiplexer(Operation after)
        {
            var expected = new SortedDictionary<ulong, (bool Readable, bool Writable)>();
            foreach (End end in _ends)
            {
                if (end.Handle is null || end.Interest == Interest.None)
                {
                    continue;
                }

                bool readable = (end.Interest & Interest.Readable) != 0 && (end.Unread > 0 || end.ReceiveShutdown || end.PendingReset);
                bool writable = (end.Interest & Interest.Writable) != 0;
                if (readable || writable)
                {
                    expected[end.Token] = (readable, writable);
                }
            }

            foreach (Multiplexer multiplexer in _multiplexers)
            {
                int ready = multiplexer.Wait(_events, TimeSpan.Zero);
                var reported = new SortedDictionary<ulong, (bool Readable, bool Writable)>();
                for (int i = 0; i < ready; i++)
                {
                    Readiness readiness = _events[i].Readiness;
                    if (readiness.IsReadable || readiness.IsWritable)
                    {
                        Assert.True(reported.TryAdd(_events[i].Token, (readiness.IsReadable, readiness.IsWritable)),
                            $"{multiplexer.Kind} reported token {_events[i].Token} twice");
                    }
                }

                if (!expected.SequenceEqual(reported))
                {
                    Assert.Fail($"after {after}: {multiplexer.Kind} reported [{Show(reported)}], the model expects [{Show(expected)}]");
                }
            }

            return _multiplexers.Length;
        }

        public void Dispose()
        {
            foreach (End end in _ends)
            {
                Unregister(end);
                end.Handle?.Dispose();
            }

            foreach (Multiplexer multiplexer in _multiplexers)
            {
                multiplexer.Dispose();
            }
        }

        private void OpenPair(int pair)
        {
            var (first, second) = SocketPair.Create();
            _ends[2 * pair].Reset(first);
            _ends[2 * pair + 1].Reset(second);
        }

        private void Unregister(End end)
        {
            if (end.Handle is null || end.Interest == Interest.None)
            {
                return;
            }

            foreach (Multiplexer multiplexer in _multiplexers)
            {
                Assert.True(multiplexer.Remove(end.Handle.Fd), $"{multiplexer.Kind} did not know fd {end.Handle.Fd}");
            }

            end.Interest = Interest.None;
        }

        private void Write(End end, End peer, int amount)
        {
            Span<byte> data = _buffer.AsSpan(0, amount);
            for (int i = 0; i < amount; i++)
            {
                data[i] = Pattern(end.Sent + i);
            }

            if (end.SendShutdown)
            {
                UnixException refused = Assert.Throws<UnixException>(() => end.Handle!.Write(_buffer.AsSpan(0, amount)));
                Assert.Equal(Errno.EPIPE, refused.Errno);
                return;
            }

            Assert.Equal(amount, end.Handle!.Write(data));
            end.Sent += amount;
            peer.Unread += amount;
        }

        private void Read(End end, int amount)
        {
            if (end.PendingReset && end.Unread == 0)
            {
                // unix_stream_read_generic reports the pending error only once the queue is empty.
                Assert.Equal((Errno)104 /* ECONNRESET */, Assert.Throws<UnixException>(() => end.Handle!.Read(_buffer.AsSpan(0, amount))).Errno);
                end.PendingReset = false;
                return;
            }

            int read = end.Handle!.Read(_buffer.AsSpan(0, amount));
            if (end.Unread == 0)
            {
                Assert.Equal(end.ReceiveShutdown ? 0 : -1, read);
                return;
            }

            Assert.Equal((int)Math.Min(amount, end.Unread), read);
            for (int i = 0; i < read; i++)
            {
                Assert.True(_buffer[i] == Pattern(end.Received + i), $"byte {end.Received + i} of a stream came back wrong: a byte was lost or reordered");
            }

            end.Received += read;
            end.Unread -= read;
        }

        private static byte Pattern(long offset) => (byte)(offset * 131 + 7);

        private static string Show(SortedDictionary<ulong, (bool Readable, bool Writable)> events) =>
            string.Join(", ", events.Select(e => $"{e.Key}:{(e.Value.Readable ? "R" : "")}{(e.Value.Writable ? "W" : "")}"));
    }

    /// <summary>The model of one socketpair end.</summary>
    private sealed class End
    {
        public FileDescriptorHandle? Handle { get; set; }

        public Interest Interest { get; set; }

        public ulong Token { get; set; }

        /// <summary>Bytes the peer wrote that this end has not read.</summary>
        public long Unread { get; set; }

        /// <summary>Bytes this end wrote (the pattern offset of its next write).</summary>
        public long Sent { get; set; }

        /// <summary>Bytes this end read (the pattern offset it expects next).</summary>
        public long Received { get; set; }

        /// <summary>Reads return end of stream once the data is gone: own SHUT_RD, peer SHUT_WR, or peer closed.</summary>
        public bool ReceiveShutdown { get; set; }

        /// <summary>Writes fail with EPIPE: own SHUT_WR, peer SHUT_RD, or peer closed.</summary>
        public bool SendShutdown { get; set; }

        /// <summary>The peer closed with data unread: the next read fails with ECONNRESET.</summary>
        public bool PendingReset { get; set; }

        public void Reset(FileDescriptorHandle handle)
        {
            Handle = handle;
            Interest = Interest.None;
            Token = 0;
            Unread = Sent = Received = 0;
            ReceiveShutdown = SendShutdown = PendingReset = false;
        }
    }
}
