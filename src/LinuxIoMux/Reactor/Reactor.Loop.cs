namespace LinuxIoMux;

/// <summary>Running the loop: <see cref="Reactor.Run"/>, <see cref="Reactor.RunOnce"/>, <see cref="Reactor.Stop"/>,
/// and which thread owns the loop while it runs.</summary>
public sealed partial class Reactor
{
    /// <summary>
    /// Runs the loop on the calling thread until <see cref="Stop"/> is called or <paramref name="cancellationToken"/>
    /// is cancelled. A Stop issued while no loop runs makes the next Run return at once; every stop request is
    /// consumed when the Run (or <see cref="RunOnce"/>) that saw it returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop already runs (on any thread), or called from a handler.</exception>
    /// <exception cref="UnixException">The wait itself failed (exceptions from callbacks are reported, not thrown).</exception>
    public void Run(CancellationToken cancellationToken = default)
    {
        EnterLoop();
        try
        {
            using CancellationTokenRegistration onCancel = cancellationToken.UnsafeRegister(static state => ((Reactor)state!).Stop(), this);
            while (!_stopRequested)
            {
                Iterate(Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            ExitLoop();
        }
    }

    /// <summary>
    /// Waits once (at most <paramref name="timeout"/>, less if a timer is due sooner, zero if actions are posted or a
    /// stop is pending), then dispatches ready handlers, due timers and posted actions.
    /// </summary>
    /// <remarks>A <see cref="Stop"/> requested before or during this call is consumed when it returns: it cuts this
    /// one wait short and no later RunOnce (or Run).</remarks>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits until something happens.</param>
    /// <returns>How many callbacks ran (handlers, timers, posted actions).</returns>
    /// <exception cref="InvalidOperationException">The loop already runs (on any thread), or called from a handler.</exception>
    /// <exception cref="UnixException">The wait itself failed (exceptions from callbacks are reported, not thrown).</exception>
    public int RunOnce(TimeSpan timeout)
    {
        EnterLoop();
        try
        {
            return Iterate(timeout);
        }
        finally
        {
            ExitLoop();
        }
    }

    /// <summary>
    /// Ends the loop: the running <see cref="Run"/> returns after its current iteration, or, when no loop runs, the
    /// next Run returns at once, or the next <see cref="RunOnce"/> without blocking. One request ends one Run or
    /// RunOnce (it is consumed when that call returns), so a stopped reactor can be run again. Any thread; idempotent
    /// until consumed.
    /// </summary>
    public void Stop()
    {
        _stopRequested = true;
        try
        {
            _waker.Wake();
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: there is no loop left to wake.
        }
    }

    private void EnterLoop()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        int me = Environment.CurrentManagedThreadId;
        if (_dispatching && Volatile.Read(ref _loopThreadId) == me)
        {
            throw new InvalidOperationException("Run and RunOnce cannot be called from inside a handler, timer or posted action.");
        }

        if (Interlocked.CompareExchange(ref _loopThreadId, me, 0) != 0)
        {
            throw new InvalidOperationException("The reactor loop is already running on another thread.");
        }

        EnterSynchronizationContext();

        if (IsDisposed)
        {
            ExitLoop(); // a Dispose that saw this loop running leaves the release to it
            throw new ObjectDisposedException(GetType().FullName);
        }
    }

    /// <summary>
    /// Leaves the loop, consuming any stop request (it was for this Run or RunOnce, which is now returning), and
    /// finishes a Dispose that was called while the loop ran.
    /// </summary>
    private void ExitLoop()
    {
        _stopRequested = false;
        Interlocked.Exchange(ref _loopThreadId, 0);
        try
        {
            if (Volatile.Read(ref _disposeState) == DisposeRequested)
            {
                ReleaseResources(); // pending waits fail here, their continuations still on this thread
            }
        }
        finally
        {
            ExitSynchronizationContext();
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ThrowIfOffLoopThread();
    }

    private void ThrowIfOffLoopThread()
    {
        if (IsOffLoopThreadWhileRunning)
        {
            throw new InvalidOperationException(
                "Registrations and timers belong to the loop thread while the reactor runs; use Post to run this call there.");
        }
    }

    internal bool IsOffLoopThreadWhileRunning
    {
        get
        {
            int loop = Volatile.Read(ref _loopThreadId);
            return loop != 0 && loop != Environment.CurrentManagedThreadId;
        }
    }
}
