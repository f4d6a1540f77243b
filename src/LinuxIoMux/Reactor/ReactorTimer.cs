namespace LinuxIoMux;

/// <summary>
/// A callback scheduled with <see cref="Reactor.Schedule"/>; <see cref="Cancel"/> stops it from running.
/// </summary>
/// <remarks>
/// The callback runs on the loop thread no earlier than the requested delay after Schedule was called (measured on
/// the monotonic clock), and usually later: after the wait returns and the ready descriptors of that batch were
/// handled. Timers that are due run in due order, equal due times in scheduling order. Cancel may be called from any
/// thread; it wins unless the callback has already started.
/// </remarks>
public sealed class ReactorTimer
{
    private const int Pending = 0;
    private const int Cancelled = 1;
    private const int Started = 2;

    private int _state;

    internal ReactorTimer(Action callback, long dueTimestamp, long sequence)
    {
        Callback = callback;
        DueTimestamp = dueTimestamp;
        Sequence = sequence;
    }

    /// <summary>True until the callback starts or the timer is cancelled.</summary>
    public bool IsPending => Volatile.Read(ref _state) == Pending;

    /// <summary>True once the timer was cancelled before it ran.</summary>
    public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

    internal Action Callback { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> at or after which the timer is due.</summary>
    internal long DueTimestamp { get; }

    /// <summary>Scheduling order, to break ties between equal due times and to bound one pass of timer firing.</summary>
    internal long Sequence { get; }

    /// <summary>Prevents the callback from running, if it has not started yet. Any thread.</summary>
    /// <returns>True if this call cancelled it; false if it already ran, is running, or was cancelled before.</returns>
    public bool Cancel() => Interlocked.CompareExchange(ref _state, Cancelled, Pending) == Pending;

    /// <summary>Loop thread: claims the timer for running; false if it was cancelled.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Pending) == Pending;
}
