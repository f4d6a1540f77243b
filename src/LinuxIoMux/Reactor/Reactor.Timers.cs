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
        if (delay < TimeSpan.Zero || delay.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A timer delay is between zero and int.MaxValue milliseconds.");
        }

        ThrowIfUnusable();
        return _timers.Add(delay, callback);
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
        while (!IsDisposed && _timers.TryTakeDue(now, sequenceLimit, out ReactorTimer? timer))
        {
            ran++;
            try
            {
                timer!.Callback();
            }
            catch (Exception exception)
            {
                Report(exception);
            }
        }

        return ran;
    }
}
