namespace LinuxIoMux.Tests.Reliability;

/// <summary>The await model's world: the reactor, its socketpairs, the model state and the comparison.</summary>
public partial class AwaitModelPropertyTests
{
    /// <summary>A reactor, the socketpairs it watches (one end each), and the model of their waits.</summary>
    private sealed class AwaitWorld : IDisposable
    {
        private readonly MultiplexerKind _kind;
        private readonly LinuxIoMux.Reactor _reactor;
        private readonly Watched[] _watched = new Watched[Pairs];
        private readonly byte[] _buffer = new byte[64 * MaxSteps];
        private int _waitsStarted;

        public AwaitWorld(MultiplexerKind kind)
        {
            _kind = kind;
            _reactor = new LinuxIoMux.Reactor(kind);
            for (int i = 0; i < Pairs; i++)
            {
                var (end, peer) = SocketPair.Create();
                _watched[i] = new Watched(end, peer);
                _watched[i].Registration = Register(end);
            }
        }

        public void Apply(Operation operation)
        {
            Watched w = _watched[operation.Pair];
            switch (operation.Step)
            {
                case Step.WaitReadable:
                    StartWait(w, Interest.Readable, cancellable: false);
                    break;
                case Step.WaitReadableCancellable:
                    StartWait(w, Interest.Readable, cancellable: true);
                    break;
                case Step.WaitWritable:
                    StartWait(w, Interest.Writable, cancellable: false);
                    break;
                case Step.PeerWrite:
                    Assert.Equal(operation.Amount, w.Peer.Write(_buffer.AsSpan(0, operation.Amount)));
                    w.Unread += operation.Amount;
                    break;
                case Step.ReadAll:
                    while (w.Unread > 0)
                    {
                        int read = w.End.Read(_buffer);
                        Assert.True(read > 0, $"{_kind}: read returned {read} with {w.Unread} bytes unread");
                        w.Unread -= read;
                    }

                    break;
                case Step.Cancel when w.Reading is { Cancellation: not null } pending:
                    pending.Cancellation.Cancel(); // from this thread: the awaiter posts the cancellation to the loop
                    pending.Expected = Outcome.Cancelled;
                    break;
                case Step.DisposeRegistration when w.Registration is not null:
                    w.Registration.Dispose();
                    w.Disposed = w.Registration;
                    w.Registration = null;
                    w.Reading?.ExpectIfPending(Outcome.Disposed);
                    w.Writing?.ExpectIfPending(Outcome.Disposed);
                    break;
                case Step.Register when w.Registration is null:
                    w.Registration = Register(w.End);
                    break;
            }
        }

        /// <summary>Turns the loop, then compares every wait with the model.</summary>
        public void TurnAndCheck(Operation after)
        {
            foreach (Watched w in _watched)
            {
                if (w.Reading is { Expected: Outcome.Pending } && w.Unread > 0)
                {
                    w.Reading.Expected = Outcome.Readable;
                }

                if (w.Writing is { Expected: Outcome.Pending })
                {
                    w.Writing.Expected = Outcome.Writable;
                }
            }

            for (int turn = 0; turn < TurnsPerStep; turn++)
            {
                _reactor.RunOnce(TimeSpan.Zero);
            }

            foreach (Watched w in _watched)
            {
                w.Reading = Check(w.Reading, after);
                w.Writing = Check(w.Writing, after);
            }
        }

        /// <summary>Disposes the reactor: every wait still pending must fail with ObjectDisposedException.</summary>
        /// <returns>How many waits the sequence started.</returns>
        public int DisposeReactorAndCheck()
        {
            _reactor.Dispose();
            foreach (Watched w in _watched)
            {
                w.Reading?.ExpectIfPending(Outcome.Disposed);
                w.Writing?.ExpectIfPending(Outcome.Disposed);
                w.Reading = Check(w.Reading, "reactor disposed");
                w.Writing = Check(w.Writing, "reactor disposed");
            }

            return _waitsStarted;
        }

        public void Dispose()
        {
            _reactor.Dispose();
            foreach (Watched w in _watched)
            {
                w.End.Dispose();
                w.Peer.Dispose();
            }
        }

        private Registration Register(FileDescriptorHandle end) =>
            _reactor.Register(end, Interest.Readable | Interest.Writable, static (_, _) => { });

        private void StartWait(Watched w, Interest direction, bool cancellable)
        {
            PendingWait? current = direction == Interest.Readable ? w.Reading : w.Writing;
            if (w.Registration is null)
            {
                ObjectDisposedException disposed = Assert.Throws<ObjectDisposedException>(() => w.Disposed!.WaitAsync(direction));
                Assert.Contains("WaitAsync", disposed.Message);
                return;
            }

            if (current is not null)
            {
                InvalidOperationException second = Assert.Throws<InvalidOperationException>(() => w.Registration.WaitAsync(direction));
                Assert.Contains("already pending", second.Message);
                return; // the first wait is untouched: the next check still expects its outcome
            }

            CancellationTokenSource? cancellation = cancellable ? new CancellationTokenSource() : null;
            Task<Readiness> task = w.Registration.WaitAsync(direction, cancellation?.Token ?? default).AsTask();
            _waitsStarted++;
            var wait = new PendingWait(task, cancellation, direction);
            if (direction == Interest.Readable)
            {
                w.Reading = wait;
            }
            else
            {
                w.Writing = wait;
            }
        }

        /// <returns>The wait if it is still (rightly) pending, else null.</returns>
        private PendingWait? Check(PendingWait? wait, object after)
        {
            if (wait is null)
            {
                return null;
            }

            string actual = Describe(wait);
            string expected = wait.Expected switch
            {
                Outcome.Pending => "pending",
                Outcome.Readable => "readable",
                Outcome.Writable => "writable",
                Outcome.Cancelled => "cancelled",
                _ => "disposed",
            };
            if (actual != expected)
            {
                Assert.Fail($"after {after}: {_kind} wait is {actual}, the model expects {expected}");
            }

            if (wait.Expected == Outcome.Pending)
            {
                return wait;
            }

            wait.Cancellation?.Dispose();
            return null;
        }

        /// <summary>The wait's state in the model's words; a completion counts only if it reports the awaited direction
        /// (the readiness may carry the other one too).</summary>
        private static string Describe(PendingWait wait)
        {
            Task<Readiness> task = wait.Task;
            if (!task.IsCompleted)
            {
                return "pending";
            }

            if (task.IsCanceled)
            {
                return "cancelled";
            }

            if (task.IsFaulted)
            {
                return task.Exception!.InnerException is ObjectDisposedException ? "disposed" : $"failed with {task.Exception.InnerException}";
            }

            Readiness readiness = task.Result;
            return wait.Direction == Interest.Readable
                ? readiness.IsReadable ? "readable" : $"completed with {readiness}"
                : readiness.IsWritable ? "writable" : $"completed with {readiness}";
        }
    }

    private enum Outcome
    {
        Pending,
        Readable,
        Writable,
        Cancelled,
        Disposed,
    }

    private sealed class PendingWait(Task<Readiness> task, CancellationTokenSource? cancellation, Interest direction)
    {
        public Task<Readiness> Task { get; } = task;

        public CancellationTokenSource? Cancellation { get; } = cancellation;

        public Interest Direction { get; } = direction;

        public Outcome Expected { get; set; } = Outcome.Pending;

        public void ExpectIfPending(Outcome outcome)
        {
            if (Expected == Outcome.Pending)
            {
                Expected = outcome;
            }
        }
    }

    /// <summary>One socketpair: the watched end, its peer (written by the test), and the model's state.</summary>
    private sealed class Watched(FileDescriptorHandle end, FileDescriptorHandle peer)
    {
        public FileDescriptorHandle End { get; } = end;

        public FileDescriptorHandle Peer { get; } = peer;

        /// <summary>The live registration, null after DisposeRegistration until Register.</summary>
        public Registration? Registration { get; set; }

        /// <summary>The registration last disposed (waits on it must throw).</summary>
        public Registration? Disposed { get; set; }

        /// <summary>Bytes the peer wrote that the end has not read.</summary>
        public long Unread { get; set; }

        public PendingWait? Reading { get; set; }

        public PendingWait? Writing { get; set; }
    }
}
