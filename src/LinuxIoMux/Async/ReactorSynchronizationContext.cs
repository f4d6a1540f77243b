namespace LinuxIoMux;

/// <summary>
/// The SynchronizationContext of a reactor's loop thread, current while <see cref="Reactor.Run"/> or
/// <see cref="Reactor.RunOnce"/> executes: an <c>await</c> of an ordinary task (Task.Delay, a Channel read) inside code
/// on the loop resumes on the loop, through <see cref="Reactor.Post(Action)"/>.
/// </summary>
/// <remarks>
/// Awaits of the reactor's own operations do not go through <see cref="Post"/>: they complete inline in the dispatch
/// (<see cref="ReadinessAwaiter"/>). A continuation posted after the reactor was disposed is dropped: it never runs,
/// since the loop thread that owned its descriptors is gone (the <see cref="Reactor.Spawn(Func{Task})"/> task of that
/// code completes with ObjectDisposedException instead).
/// </remarks>
internal sealed class ReactorSynchronizationContext : SynchronizationContext
{
    internal ReactorSynchronizationContext(Reactor reactor)
    {
        Reactor = reactor;
    }

    /// <summary>The reactor whose loop thread this context stands for.</summary>
    internal Reactor Reactor { get; }

    /// <summary>Queues <paramref name="d"/> to the loop (any thread); dropped if the reactor is disposed.</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        try
        {
            Reactor.PostToLoop(d, state);
        }
        catch (ObjectDisposedException)
        {
            // Dropped on purpose: the loop thread that would run it has exited (see remarks).
        }
    }

    /// <summary>Runs <paramref name="d"/> on the loop thread and waits for it: inline when called there, else posted.</summary>
    /// <exception cref="ObjectDisposedException">The reactor is disposed (the callback did not run).</exception>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Reactor.IsOnLoopThread)
        {
            d(state);
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Reactor.Post(() =>
        {
            try
            {
                d(state);
                done.SetResult();
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        done.Task.GetAwaiter().GetResult();
    }

    /// <summary>The same context: there is one per reactor.</summary>
    public override SynchronizationContext CreateCopy() => this;
}
