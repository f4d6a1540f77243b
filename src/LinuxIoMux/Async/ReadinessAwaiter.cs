using System.Threading.Tasks.Sources;

namespace LinuxIoMux;

/// <summary>
/// The reusable <see cref="IValueTaskSource{TResult}"/> behind <see cref="Registration.WaitAsync"/>, one per
/// registration and direction: a wait allocates nothing (the same object serves every await; the version in the
/// <see cref="ValueTask{TResult}"/> token turns a stale or double await into an InvalidOperationException).
/// </summary>
/// <remarks>
/// <para><b>Inline continuations.</b> The reactor completes a wait inside its dispatch, on the loop thread, and the
/// awaiting code resumes right there. <see cref="ManualResetValueTaskSourceCore{TResult}"/> would otherwise capture
/// the current SynchronizationContext (the reactor's own, under <see cref="Reactor.Spawn(Func{Task})"/>) and
/// <em>post</em> the continuation to it: one more loop iteration and an allocation per await. So
/// <see cref="OnCompleted"/> drops the request to resume on the captured context when that context is this
/// reactor's: completing inline on the loop thread already is resuming there. Any other context is honoured.</para>
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
    private bool _pending;

    internal ReadinessAwaiter(Registration registration, Interest direction)
    {
        _registration = registration;
        Direction = direction;
    }

    /// <summary><see cref="Interest.Readable"/> or <see cref="Interest.Writable"/>.</summary>
    internal Interest Direction { get; }

    /// <summary>True from <see cref="Start"/> until the wait completes (readiness, cancellation or disposal).</summary>
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
        _pending = true;
        _token = cancellationToken;
        if (cancellationToken.CanBeCanceled)
        {
            // Allocates a callback node in the token source: only cancellable waits pay it (the default token costs nothing).
            _cancellation = cancellationToken.UnsafeRegister(s_onCancel, this);
        }

        return new ValueTask<Readiness>(this, _core.Version);
    }

    /// <summary>Loop thread: completes the pending wait with <paramref name="readiness"/>; the continuation runs now.</summary>
    internal void Complete(Readiness readiness)
    {
        if (Finish())
        {
            _core.SetResult(readiness);
        }
    }

    /// <summary>Loop thread: completes the pending wait with <paramref name="exception"/>; the continuation runs now.</summary>
    internal void Fail(Exception exception)
    {
        if (Finish())
        {
            _core.SetException(exception);
        }
    }

    /// <inheritdoc/>
    public Readiness GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0
            && SynchronizationContext.Current is ReactorSynchronizationContext context
            && ReferenceEquals(context.Reactor, _registration.Reactor))
        {
            // Completions run on this reactor's loop thread, which is where the context would post to: run inline.
            flags &= ~ValueTaskSourceOnCompletedFlags.UseSchedulingContext;
        }

        _core.OnCompleted(continuation, state, token, flags);
    }

    private bool Finish()
    {
        if (!_pending)
        {
            return false;
        }

        _pending = false;
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
