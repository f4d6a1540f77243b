using CsCheck;
using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// The readiness model of <see cref="ReadinessModelPropertyTests"/> extended to <see cref="Registration.WaitAsync"/>:
/// random sequences of waits (plain and cancellable, readable and writable), writes by the peer, reads, cancellations,
/// registration disposals and re-registrations on real AF_UNIX socketpairs, run on a reactor of every backend
/// (io_uring where the kernel allows it). After every step the reactor turns and every wait must be in the state the
/// model predicts; disposing the reactor at the end must fail every wait still pending. CsCheck shrinks a failing
/// sequence to a minimal one and prints it with its seed.
/// </summary>
/// <remarks>
/// The model of one watched end (its registration watches readable and writable, level-triggered): a readable wait
/// completes, readable, in the first turn in which the peer's bytes are unread, and stays pending while none are; a
/// writable wait completes in the first turn (small writes never fill the peer's buffer); a second wait in a pending
/// direction throws InvalidOperationException and leaves the first alone; a wait on a disposed registration throws
/// ObjectDisposedException; cancelling a pending wait completes it with OperationCanceledException and leaves the
/// registration usable; disposing the registration (or the reactor) completes its pending waits with
/// ObjectDisposedException. Because every step ends with a turn, a readable wait is only ever pending while nothing is
/// unread, so each outcome is determined.
/// </remarks>
public partial class AwaitModelPropertyTests
{
    private const int Pairs = 2;
    private const int MaxSteps = 30;

    /// <summary>Turns per step: io_uring may need a second submit/reap round for a poll armed in the first.</summary>
    private const int TurnsPerStep = 3;

    private readonly ITestOutputHelper _output;

    public AwaitModelPropertyTests(ITestOutputHelper output)
    {
        _output = output;
    }

    internal enum Step
    {
        WaitReadable,
        WaitReadableCancellable,
        WaitWritable,
        PeerWrite,
        ReadAll,
        Cancel,
        DisposeRegistration,
        Register,
    }

    internal readonly record struct Operation(Step Step, int Pair, int Amount)
    {
        public override string ToString() => Step == Step.PeerWrite ? $"{Step}(p{Pair}, {Amount})" : $"{Step}(p{Pair})";
    }

    private static readonly Gen<Step> s_step = Gen.Frequency(
        (3, Gen.Const(Step.WaitReadable)),
        (3, Gen.Const(Step.WaitReadableCancellable)),
        (2, Gen.Const(Step.WaitWritable)),
        (3, Gen.Const(Step.PeerWrite)),
        (2, Gen.Const(Step.ReadAll)),
        (2, Gen.Const(Step.Cancel)),
        (1, Gen.Const(Step.DisposeRegistration)),
        (1, Gen.Const(Step.Register)));

    private static readonly Gen<Operation[]> s_sequences = Gen.Select(s_step, Gen.Int[0, Pairs - 1], Gen.Int[1, 64],
        (step, pair, amount) => new Operation(step, pair, amount)).Array[1, MaxSteps];

    [Fact]
    public void WaitAsync_on_every_backend_agrees_with_the_await_model_on_random_sequences()
    {
        int iterations = ReliabilityRun.Pick(1_000, 30_000);
        MultiplexerKind[] kinds = Enum.GetValues<MultiplexerKind>().Where(Multiplexer.IsSupported).ToArray();
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        long steps = 0, waits = 0;
        s_sequences.Sample(sequence =>
        {
            foreach (MultiplexerKind kind in kinds)
            {
                using var world = new AwaitWorld(kind);
                foreach (Operation operation in sequence)
                {
                    world.Apply(operation);
                    world.TurnAndCheck(operation);
                    steps++;
                }

                waits += world.DisposeReactorAndCheck();
            }
        }, iter: iterations, threads: 1);

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
        ReliabilityRun.Figure(_output, $"await model: {iterations} random sequences on {string.Join(", ", kinds)}, {steps} steps, {waits} waits, 0 disagreements, 0 descriptors leaked");
    }
}
