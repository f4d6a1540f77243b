namespace LinuxIoMux;

/// <summary>A spawned work as the reactor tracks it until it completes (so that disposal can complete it).</summary>
internal interface ISpawned
{
    /// <summary>Completes the spawned task with <paramref name="exception"/> unless it already completed.</summary>
    void Fail(Exception exception);
}

/// <summary>One <see cref="Reactor.Spawn{TState}(Func{TState, Task}, TState)"/>: starts the work on the loop thread and
/// completes the task the caller got when the work's task completes.</summary>
internal sealed class SpawnedWork<TState> : ISpawned
{
    private readonly Reactor _reactor;
    private readonly Func<TState, Task> _work;
    private readonly TState _state;
    private readonly TaskCompletionSource _completion = new();
    private Task? _running;

    internal SpawnedWork(Reactor reactor, Func<TState, Task> work, TState state)
    {
        _reactor = reactor;
        _work = work;
        _state = state;
    }

    internal Task Task => _completion.Task;

    public void Fail(Exception exception)
    {
        _reactor.Forget(this);
        _completion.TrySetException(exception);
    }

    /// <summary>Loop thread, under the reactor's SynchronizationContext.</summary>
    internal void Start()
    {
        try
        {
            _running = _work(_state) ?? throw new InvalidOperationException("The spawned work returned a null Task.");
        }
        catch (Exception exception)
        {
            Fail(exception);
            return;
        }

        // ConfigureAwait(false): complete the caller's task wherever the work completes, without a post to the loop
        // (which would never run if the work's last step ran as the reactor was disposed).
        _running.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnWorkCompleted);
    }

    private void OnWorkCompleted()
    {
        _reactor.Forget(this);
        Task running = _running!;
        if (running.IsCanceled)
        {
            _completion.TrySetCanceled(CancellationOf(running));
        }
        else if (running.IsFaulted)
        {
            _completion.TrySetException(running.Exception!.InnerExceptions);
        }
        else
        {
            _completion.TrySetResult();
        }
    }

    private static CancellationToken CancellationOf(Task task)
    {
        try
        {
            task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException exception)
        {
            return exception.CancellationToken;
        }

        return default;
    }
}
