namespace LinuxIoMux;

/// <summary>Running async code on the loop thread under the reactor's SynchronizationContext.</summary>
public sealed partial class Reactor
{
    private readonly HashSet<ISpawned> _spawned = new();
    private ReactorSynchronizationContext? _synchronizationContext;
    private SynchronizationContext? _contextBeforeLoop;

    /// <summary>The context that is current on the loop thread while the loop runs.</summary>
    internal ReactorSynchronizationContext LoopContext => _synchronizationContext ??= new ReactorSynchronizationContext(this);

    /// <summary>
    /// Runs <paramref name="work"/> on the loop thread (posted, like <see cref="Post(Action)"/>): every await inside
    /// it resumes on the loop thread, inline for the reactor's own operations (<see cref="ReactorSocket"/>,
    /// <c>ReactorStream</c>, <see cref="Registration.WaitAsync"/>), through the loop's
    /// SynchronizationContext for ordinary tasks. Any thread.
    /// </summary>
    /// <remarks>
    /// <para>The returned task completes when the work's task does, with its result, exception or cancellation. If
    /// the reactor is disposed first, it completes with <see cref="ObjectDisposedException"/> (the work's pending
    /// waits fail the same way, and code that awaits an ordinary task after the loop exited never resumes).</para>
    /// <para>Code after <c>ConfigureAwait(false)</c> of an ordinary task continues on the thread pool, where the
    /// reactor's descriptors refuse to be used (InvalidOperationException). A blocking call inside the work blocks
    /// the whole loop: every other connection waits.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The reactor is disposed.</exception>
    public Task Spawn(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Spawn(static work => work(), work);
    }

    /// <summary>Like <see cref="Spawn(Func{Task})"/>, with the state passed to <paramref name="work"/> instead of
    /// captured (a static lambda allocates no closure).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The reactor is disposed.</exception>
    public Task Spawn<TState>(Func<TState, Task> work, TState state)
    {
        ArgumentNullException.ThrowIfNull(work);
        var spawned = new SpawnedWork<TState>(this, work, state);
        lock (_spawned)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            _spawned.Add(spawned);
        }

        try
        {
            Post(static spawned => spawned.Start(), spawned);
        }
        catch (ObjectDisposedException exception)
        {
            spawned.Fail(exception); // disposed in between: FailSpawned may have run before the Add above was seen
            throw;
        }

        return spawned.Task;
    }

    /// <summary>Forgets a spawned work that completed.</summary>
    internal void Forget(ISpawned spawned)
    {
        lock (_spawned)
        {
            _spawned.Remove(spawned);
        }
    }

    /// <summary>Completes every spawned work still running with ObjectDisposedException (the reactor is released).</summary>
    private void FailSpawned()
    {
        ISpawned[] all;
        lock (_spawned)
        {
            all = [.. _spawned];
            _spawned.Clear();
        }

        foreach (ISpawned spawned in all)
        {
            spawned.Fail(new ObjectDisposedException(nameof(Reactor), "The reactor was disposed before the spawned work completed."));
        }
    }

    private void EnterSynchronizationContext()
    {
        _contextBeforeLoop = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(LoopContext);
    }

    private void ExitSynchronizationContext()
    {
        SynchronizationContext.SetSynchronizationContext(_contextBeforeLoop);
        _contextBeforeLoop = null;
    }
}
