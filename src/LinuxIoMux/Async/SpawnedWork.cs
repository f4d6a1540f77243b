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

        // Complete the caller's task on the thread where the work completes, inline: not with a post to the loop
        // (which would never run if the work's last step ran as the reactor was disposed), and not with an awaiter,
        // whose ConfigureAwait(false) continuation the runtime queues to the thread pool while a SynchronizationContext
        // is current (then the caller's task could still be running after the work, or the loop, had ended).
        _running.ContinueWith(
            static (_, spawned) => ((SpawnedWork<TState>)spawned!).OnWorkCompleted(),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnWorkCompleted()
    {
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

        _reactor.Forget(this); // after the completion: a disposal that no longer finds the work finds its task completed
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
