namespace LinuxIoMux;

/// <summary>Actions posted from any thread, run on the loop thread after each batch of handlers and timers.</summary>
public sealed partial class Reactor
{
    /// <summary>
    /// Queues <paramref name="action"/> to run on the loop thread and wakes the loop (wakes from many posts coalesce
    /// into one eventfd write; a post from the loop thread itself needs none). Any thread. Actions run in posting order per thread, each exactly once, after the
    /// current batch of handlers and timers. Actions posted to a disposed reactor never run.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reactor is disposed.</exception>
    public void Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Enqueue(LoopCallback.Of(action));
    }

    /// <summary>
    /// Like <see cref="Post(Action)"/>, with the state passed to <paramref name="action"/> instead of captured: a
    /// <c>static</c> lambda and a reference-type state allocate nothing but the queue's own storage (a value-type state
    /// is boxed once).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reactor is disposed.</exception>
    public void Post<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        Enqueue(LoopCallback.Of(action, state));
    }

    /// <summary>What <see cref="ReactorSynchronizationContext.Post"/> queues: no closure, no delegate.</summary>
    internal void PostToLoop(SendOrPostCallback callback, object? state) => Enqueue(LoopCallback.Of(callback, state));

    /// <summary>Wakes the loop without queueing anything (a registration with waiters was disposed from another thread).</summary>
    private void WakeForPendingRemoval()
    {
        try
        {
            _waker.Wake();
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: the dispose fails the waits.
        }
    }

    private void Enqueue(LoopCallback action)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        _posted.Enqueue(action);
        // From the loop thread no wake is needed: the loop is inside Iterate, which runs posted actions after this batch
        // or, when they came in during the drain, waits with a zero timeout next (a write and a read of the eventfd per
        // loop turn saved: the Kestrel transport's send pump is posted this way after every flush).
        if (!IsOnLoopThread)
        {
            _waker.Wake();
        }
    }

    private int RunPosted()
    {
        // Bounded by what was queued when the drain started, so an action that posts again cannot starve I/O.
        int budget = _posted.Count;
        int ran = 0;
        while (ran < budget && !IsDisposed && _posted.TryDequeue(out LoopCallback action))
        {
            ran++;
            Counters.PostedActions++;
            try
            {
                action.Run();
            }
            catch (Exception exception)
            {
                Report(exception);
            }
        }

        return ran;
    }
}
