using System.Threading.Tasks.Sources;

namespace LinuxIoMux;

/// <summary>
/// The reusable <see cref="IValueTaskSource{TResult}"/> behind <see cref="Registration.WaitAsync"/>, one per
/// registration and direction: a wait allocates nothing (the same object serves every await; the version in the
/// <see cref="ValueTask{TResult}"/> token turns a stale or double await into an InvalidOperationException).
/// </summary>
/// <remarks>
/// <para><b>Inline continuations.</b> The reactor completes a wait inside its dispatch, on the loop thread, and the
/// awaiting code resumes right there, not through a post to the reactor's SynchronizationContext
/// (<see cref="LoopContinuation"/>). Any other context is honoured.</para>
/// <para><b>Threads.</b> Start and every completion run on the loop thread (or while no loop runs). Cancellation may
/// be requested from any thread, so it is posted to the loop, which completes the wait if it is still the one that
/// token was given to: a readiness completion and a cancellation never race.</para>
/// </remarks>
internal sealed class ReadinessAwaiter : IValueTaskSource<Readiness>
{
    private static readonly Action<object?, CancellationToken> s_onCancel = static (state, token) =>
        ((ReadinessAwaiter)state!).OnCancelRequested(token);

    private static readonly Action<(ReadinessAwaiter Awaiter, CancellationToken Token)> s_cancelOnLoop = static request =>
        request.Awaiter.CancelIfWaiting(request.Token);

    private readonly Registration _registration;
    private ManualResetValueTaskSourceCore<Readiness> _core; // RunContinuationsAsynchronously stays false: inline
    private CancellationTokenRegistration _cancellation;
    private CancellationToken _token;
    private IReadinessWaiter? _waiter; // set while an operation waits directly instead of through the ValueTask
    private bool _pending;

    internal ReadinessAwaiter(Registration registration, Interest direction)
    {
        _registration = registration;
        Direction = direction;
    }

    /// <summary><see cref="Interest.Readable"/> or <see cref="Interest.Writable"/>.</summary>
    internal Interest Direction { get; }

    /// <summary>True from <see cref="Start(CancellationToken)"/> until the wait completes (readiness, cancellation or disposal).</summary>
    internal bool IsPending => _pending;

    /// <summary>Throws when a wait in this direction is already pending (before anything changes).</summary>
    internal void ThrowIfPending()
    {
        if (_pending)
        {
            throw new InvalidOperationException(
                $"A WaitAsync({Direction}) is already pending on fd {_registration.Fd}: one wait per direction at a time " +
                "(two readers or two writers of one descriptor would steal each other's data).");
        }
    }

    /// <summary>Begins a wait; the returned task completes when <see cref="Complete"/> or <see cref="Fail"/> is called.</summary>
    internal ValueTask<Readiness> Start(CancellationToken cancellationToken)
    {
        ThrowIfPending();
        _core.Reset();
        Begin(waiter: null, cancellationToken);
        return new ValueTask<Readiness>(this, _core.Version);
    }

    /// <summary>Begins a wait that <paramref name="waiter"/> is told about directly, without a ValueTask
    /// (<see cref="IReadinessWaiter"/> says why); cancellation and disposal end it as they end an awaited one.</summary>
    internal void Start(IReadinessWaiter waiter, CancellationToken cancellationToken)
    {
        ThrowIfPending();
        Begin(waiter, cancellationToken);
    }

    private void Begin(IReadinessWaiter? waiter, CancellationToken cancellationToken)
    {
        _pending = true;
        _waiter = waiter;
        _token = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            // Allocates a callback node in the token source: only cancellable waits pay it (the default token costs nothing).
            _cancellation = cancellationToken.UnsafeRegister(s_onCancel, this);
        }
    }

    /// <summary>Loop thread: completes the pending wait with <paramref name="readiness"/>; the continuation runs now.</summary>
    internal void Complete(Readiness readiness)
    {
        if (Finish(out IReadinessWaiter? waiter))
        {
            if (waiter is null)
            {
                _core.SetResult(readiness);
            }
            else
            {
                waiter.OnReady();
            }
        }
    }

    /// <summary>Loop thread: completes the pending wait with <paramref name="exception"/>; the continuation runs now.</summary>
    internal void Fail(Exception exception)
    {
        if (Finish(out IReadinessWaiter? waiter))
        {
            if (waiter is null)
            {
                _core.SetException(exception);
            }
            else
            {
                waiter.OnFailed(exception);
            }
        }
    }

    /// <inheritdoc/>
    public Readiness GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        _core.OnCompleted(continuation, state, token, LoopContinuation.Flags(flags, _registration.Reactor));
    }

    private bool Finish(out IReadinessWaiter? waiter)
    {
        waiter = _waiter;
        if (!_pending)
        {
            return false;
        }

        _pending = false;
        _waiter = null;
        _token = default;
        _cancellation.Unregister(); // never blocks, unlike Dispose, which waits for a callback running elsewhere
        _cancellation = default;
        return true;
    }

    /// <summary>Any thread (inside CancellationTokenSource.Cancel): hands the cancellation to the loop thread.</summary>
    private void OnCancelRequested(CancellationToken token)
    {
        try
        {
            _registration.Reactor.Post(s_cancelOnLoop, (this, token));
        }
        catch (ObjectDisposedException)
        {
            // The reactor is disposed: disposal fails every pending wait with ObjectDisposedException instead.
        }
    }

    /// <summary>Loop thread: cancels the wait if it is still one that <paramref name="token"/> was given to.</summary>
    private void CancelIfWaiting(CancellationToken token)
    {
        if (_pending && _token == token)
        {
            Fail(new OperationCanceledException(token));
        }
    }
}
