namespace LinuxIoMux;

/// <summary>Timers: scheduled on the loop thread, run after each batch of handlers in due order.</summary>
public sealed partial class Reactor
{
    /// <summary>
    /// Runs <paramref name="callback"/> on the loop thread once <paramref name="delay"/> has passed (never earlier).
    /// The earliest timer bounds the loop's wait.
    /// </summary>
    /// <returns>A handle whose <see cref="ReactorTimer.Cancel"/> prevents the run.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative or infinite delay, or more than int.MaxValue ms.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs (Post the Schedule instead).</exception>
    /// <exception cref="ObjectDisposedException">The reactor is disposed.</exception>
    public ReactorTimer Schedule(TimeSpan delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddTimer(delay, LoopCallback.Of(callback), TimeSpan.Zero);
    }

    /// <summary>
    /// Like <see cref="Schedule(TimeSpan, Action)"/>, with the state passed to <paramref name="callback"/> instead of
    /// captured: a <c>static</c> lambda and a reference-type state allocate only the timer itself.
    /// </summary>
    /// <inheritdoc cref="Schedule(TimeSpan, Action)"/>
    public ReactorTimer Schedule<TState>(TimeSpan delay, Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddTimer(delay, LoopCallback.Of(callback, state), TimeSpan.Zero);
    }

    /// <summary>
    /// Runs <paramref name="callback"/> on the loop thread every <paramref name="period"/>, the first time one period
    /// from now, until <see cref="ReactorTimer.Cancel"/>. Each run is due one period after the previous one was due (no
    /// drift); if the loop falls more than a period behind, the missed runs are skipped, not run in a burst.
    /// </summary>
    /// <returns>A handle whose <see cref="ReactorTimer.Cancel"/> stops the runs (also from inside the callback).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A period that is zero, negative, infinite, or more than int.MaxValue ms.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs (Post it instead).</exception>
    /// <exception cref="ObjectDisposedException">The reactor is disposed.</exception>
    public ReactorTimer SchedulePeriodic(TimeSpan period, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddPeriodicTimer(period, LoopCallback.Of(callback));
    }

    /// <summary>
    /// Like <see cref="SchedulePeriodic(TimeSpan, Action)"/>, with the state passed to <paramref name="callback"/>
    /// instead of captured.
    /// </summary>
    /// <inheritdoc cref="SchedulePeriodic(TimeSpan, Action)"/>
    public ReactorTimer SchedulePeriodic<TState>(TimeSpan period, Action<TState> callback, TState state)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddPeriodicTimer(period, LoopCallback.Of(callback, state));
    }

    private ReactorTimer AddPeriodicTimer(TimeSpan period, LoopCallback callback)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "A timer period is more than zero.");
        }

        return AddTimer(period, callback, period);
    }

    private ReactorTimer AddTimer(TimeSpan delay, LoopCallback callback, TimeSpan period)
    {
        if (delay < TimeSpan.Zero || delay.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A timer delay is between zero and int.MaxValue milliseconds.");
        }

        ThrowIfUnusable();
        return _timers.Add(delay, callback, period);
    }

    private int RunDueTimers()
    {
        if (_timers.Count == 0)
        {
            return 0;
        }

        int ran = 0;
        long now = TimerQueue.Now;
        long sequenceLimit = _timers.NextSequence;
        while (!IsDisposed && _timers.TryTakeDue(now, sequenceLimit, out ReactorTimer? due))
        {
            ReactorTimer timer = due!;
            ran++;
            Counters.TimersFired++;
            try
            {
                timer.Callback.Run();
            }
            catch (Exception exception)
            {
                Report(exception);
            }

            if (timer.IsPeriodic)
            {
                _timers.Rearm(timer, now);
            }
        }

        return ran;
    }
}
