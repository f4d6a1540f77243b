using System.Threading.Tasks.Sources;

namespace LinuxIoMux;

/// <summary>
/// One reusable operation of a reactor-owned descriptor (a receive, a send, an accept, a read, a write) that had to
/// wait: it waits for readiness in its direction, retries its syscall, and waits again until the syscall completes or
/// fails. The same object serves every such operation of its descriptor and direction, so an operation that waits
/// allocates nothing (an <c>async</c> method would allocate a box, or post its continuation to the reactor's
/// SynchronizationContext).
/// </summary>
/// <remarks>Loop thread only (the owner checks before <see cref="Begin"/>). At most one operation per object at a time:
/// the owner checks the direction's <see cref="ReadinessAwaiter.ThrowIfPending"/> before starting. The operation waits
/// in the direction's slot directly (<see cref="IReadinessWaiter"/>), not by awaiting <see cref="Registration.WaitAsync"/>:
/// the dispatch calls <see cref="OnReady"/>, which retries the syscall and completes the caller's task right there.</remarks>
/// <typeparam name="T">The result (bytes, or the accepted socket).</typeparam>
internal abstract class ReadinessOperation<T> : IValueTaskSource<T>, IValueTaskSource, IReadinessWaiter
{
    private readonly Registration _registration;
    private readonly Interest _direction;
    private ManualResetValueTaskSourceCore<T> _core; // RunContinuationsAsynchronously false: resume inline
    private CancellationToken _cancellationToken;

    protected ReadinessOperation(Registration registration, Interest direction)
    {
        _registration = registration;
        _direction = direction;
    }

    /// <summary>Loop thread: the syscall said EAGAIN; wait and retry until <see cref="TryComplete"/> succeeds.</summary>
    internal ValueTask<T> Begin(CancellationToken cancellationToken)
    {
        _core.Reset();
        _cancellationToken = cancellationToken;
        short version = _core.Version;
        Wait();
        return new ValueTask<T>(this, version);
    }

    /// <summary>The non-generic face of <see cref="Begin"/> (a send has no result).</summary>
    internal ValueTask BeginWithoutResult(CancellationToken cancellationToken)
    {
        _core.Reset();
        _cancellationToken = cancellationToken;
        short version = _core.Version;
        Wait();
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

    /// <summary>In the dispatch, after a report in this direction: retries the syscall, and waits again on EAGAIN (the
    /// readiness was spurious or taken).</summary>
    public void OnReady()
    {
        T result;
        try
        {
            if (!TryComplete(out result))
            {
                Wait();
                return;
            }
        }
        catch (Exception exception)
        {
            Fail(exception);
            return;
        }

        _cancellationToken = default;
        Clear();
        _core.SetResult(result); // the awaiting code resumes here
    }

    /// <summary>Cancelled or disposed while waiting.</summary>
    public void OnFailed(Exception exception) => Fail(exception);

    private void Wait()
    {
        try
        {
            _registration.WaitFor(_direction, this, _cancellationToken);
        }
        catch (Exception exception)
        {
            Fail(exception);
        }
    }

    private void Fail(Exception exception)
    {
        _cancellationToken = default;
        Clear();
        _core.SetException(exception);
    }
}
