namespace LinuxIoMux;

/// <summary>
/// A callback scheduled with <see cref="Reactor.Schedule(TimeSpan, Action)"/> or
/// <see cref="Reactor.SchedulePeriodic(TimeSpan, Action)"/>; <see cref="Cancel"/> stops it from running (again).
/// </summary>
/// <remarks>
/// The callback runs on the loop thread no earlier than the requested delay after Schedule was called (measured on
/// the monotonic clock), and usually later: after the wait returns and the ready descriptors of that batch were
/// handled. Timers that are due run in due order, equal due times in scheduling order. A periodic timer's next run is
/// due one period after the previous one was due; when the loop has fallen more than a period behind, the missed runs
/// are skipped rather than run in a burst. Cancel may be called from any thread; it wins unless the callback has
/// already started (a periodic timer cancelled during its callback does not run again).
/// </remarks>
public sealed class ReactorTimer
{
    private const int Pending = 0;
    private const int Cancelled = 1;
    private const int Started = 2;
    private const int Running = 3; // a periodic timer inside its callback

    private int _state;

    internal ReactorTimer(LoopCallback callback, long dueTimestamp, long sequence, long periodTimestamp)
    {
        Callback = callback;
        DueTimestamp = dueTimestamp;
        Sequence = sequence;
        PeriodTimestamp = periodTimestamp;
    }

    /// <summary>True until the callback starts (for a periodic timer: until cancelled) or the timer is cancelled.</summary>
    public bool IsPending => Volatile.Read(ref _state) is Pending or Running;

    /// <summary>True once the timer was cancelled before it ran (for a periodic timer: before it ran again).</summary>
    public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

    /// <summary>True for a timer made by <see cref="Reactor.SchedulePeriodic(TimeSpan, Action)"/>.</summary>
    public bool IsPeriodic => PeriodTimestamp > 0;

    internal LoopCallback Callback { get; }

    /// <summary><see cref="Timing.MonotonicClock"/> timestamp at or after which the timer is due.</summary>
    internal long DueTimestamp { get; private set; }

    /// <summary>Scheduling order, to break ties between equal due times and to bound one pass of timer firing.</summary>
    internal long Sequence { get; private set; }

    /// <summary>The period in clock ticks; 0 for a one-shot timer.</summary>
    internal long PeriodTimestamp { get; }

    /// <summary>Prevents the callback from running, if it has not started yet (periodic: from running again). Any thread.</summary>
    /// <returns>True if this call cancelled it; false if it already ran, is running (one-shot), or was cancelled before.</returns>
    public bool Cancel() =>
        Interlocked.CompareExchange(ref _state, Cancelled, Pending) == Pending
        || (IsPeriodic && Interlocked.CompareExchange(ref _state, Cancelled, Running) == Running);

    /// <summary>Loop thread: claims the timer for running; false if it was cancelled.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, IsPeriodic ? Running : Started, Pending) == Pending;

    /// <summary>Loop thread, after a periodic callback: makes the timer pending again with its next due time, unless
    /// it was cancelled meanwhile.</summary>
    internal bool TryRearm(long dueTimestamp, long sequence)
    {
        DueTimestamp = dueTimestamp;
        Sequence = sequence;
        return Interlocked.CompareExchange(ref _state, Pending, Running) == Running;
    }
}
