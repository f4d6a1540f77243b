using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace LinuxIoMux;

/// <summary>
/// One reusable operation of a reactor-owned descriptor (a receive, a send, an accept, a read, a write) that had to
/// wait: it awaits readiness in its direction, retries its syscall, and waits again until the syscall completes or
/// fails. The same object serves every such operation of its descriptor and direction, so an operation that waits
/// allocates nothing (an <c>async</c> method would allocate a box, or post its continuation to the reactor's
/// SynchronizationContext).
/// </summary>
/// <remarks>Loop thread only (the owner checks before <see cref="Begin"/>). At most one operation per object at a time:
/// the owner checks the direction's <see cref="ReadinessAwaiter.ThrowIfPending"/> before starting.</remarks>
/// <typeparam name="T">The result (bytes, or the accepted socket).</typeparam>
internal abstract class ReadinessOperation<T> : IValueTaskSource<T>, IValueTaskSource
{
    private readonly Registration _registration;
    private readonly Interest _direction;
    private readonly Action _onReady;
    private ManualResetValueTaskSourceCore<T> _core; // RunContinuationsAsynchronously false: resume inline
    private ConfiguredValueTaskAwaitable<Readiness>.ConfiguredValueTaskAwaiter _wait;
    private CancellationToken _cancellationToken;

    protected ReadinessOperation(Registration registration, Interest direction)
    {
        _registration = registration;
        _direction = direction;
        _onReady = OnReady;
    }

    /// <summary>Loop thread: the syscall said EAGAIN; wait and retry until <see cref="TryComplete"/> succeeds.</summary>
    internal ValueTask<T> Begin(CancellationToken cancellationToken)
    {
        _core.Reset();
        _cancellationToken = cancellationToken;
        short version = _core.Version;
        WaitAndRetry();
        return new ValueTask<T>(this, version);
    }

    /// <summary>The non-generic face of <see cref="Begin"/> (a send has no result).</summary>
    internal ValueTask BeginWithoutResult(CancellationToken cancellationToken)
    {
        _core.Reset();
        _cancellationToken = cancellationToken;
        short version = _core.Version;
        WaitAndRetry();
        return new ValueTask(this, version);
    }

    /// <summary>One attempt of the syscall: true with the result when done, false on EAGAIN; throws on failure.</summary>
    protected abstract bool TryComplete(out T result);

    /// <summary>Drops references to the caller's buffer once the operation completed.</summary>
    protected virtual void Clear()
    {
    }

    /// <inheritdoc/>
    public T GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, LoopContinuation.Flags(flags, _registration.Reactor));

    private void WaitAndRetry()
    {
        while (true)
        {
            try
            {
                _wait = _registration.WaitAsync(_direction, _cancellationToken).ConfigureAwait(false).GetAwaiter();
            }
            catch (Exception exception)
            {
                Fail(exception);
                return;
            }

            if (!_wait.IsCompleted)
            {
                // No context, no execution-context flow: the dispatch that completes the wait runs OnReady inline.
                _wait.UnsafeOnCompleted(_onReady);
                return;
            }

            if (!Retry())
            {
                return;
            }
        }
    }

    private void OnReady()
    {
        if (Retry())
        {
            WaitAndRetry();
        }
    }

    /// <summary>After a wait: true to wait again (EAGAIN: the readiness was spurious or taken), false when completed.</summary>
    private bool Retry()
    {
        T result;
        try
        {
            _wait.GetResult(); // throws OperationCanceledException or ObjectDisposedException
            _wait = default;
            if (!TryComplete(out result))
            {
                return true;
            }
        }
        catch (Exception exception)
        {
            Fail(exception);
            return false;
        }

        _cancellationToken = default;
        Clear();
        _core.SetResult(result); // the awaiting code resumes here
        return false;
    }

    private void Fail(Exception exception)
    {
        _wait = default;
        _cancellationToken = default;
        Clear();
        _core.SetException(exception);
    }
}
