using System.Diagnostics;
using LinuxIoMux.Timing;

namespace LinuxIoMux;

/// <summary>
/// The reactor's pending timers: a binary heap (<see cref="PriorityQueue{TElement, TPriority}"/>) ordered by due
/// time, then by scheduling order. O(log n) schedule and fire; cancellation is lazy (a cancelled timer is dropped
/// when it reaches the top), so Cancel is O(1) and safe from any thread.
/// </summary>
/// <remarks>
/// Times are <see cref="MonotonicClock"/> values (<see cref="Stopwatch.GetTimestamp"/>, CLOCK_MONOTONIC on Linux), not
/// <see cref="Environment.TickCount64"/>, whose coarse clock could fire a timer before its delay had passed. The
/// reactor reads "now" through <see cref="Now"/> too, so a test that replaces the clock on the loop thread controls
/// both due times and the moment they are compared with: that is how equal due times (the scheduling-order
/// tie-break) and a zero-delay timer added by a callback (the sequence limit) are tested.
/// </remarks>
internal sealed class TimerQueue
{
    private readonly PriorityQueue<ReactorTimer, Key> _heap = new();
    private long _nextSequence;

    internal int Count => _heap.Count;

    /// <summary>The current time on the clock due times are measured with.</summary>
    internal static long Now => MonotonicClock.GetTimestamp();

    /// <summary>
    /// Adds a timer due <paramref name="delay"/> from now, periodic when <paramref name="period"/> is positive; times
    /// are rounded up to the next clock tick.
    /// </summary>
    internal ReactorTimer Add(TimeSpan delay, LoopCallback callback, TimeSpan period)
    {
        var timer = new ReactorTimer(callback, Now + ToTimestamp(delay), _nextSequence++, ToTimestamp(period));
        _heap.Enqueue(timer, new Key(timer.DueTimestamp, timer.Sequence));
        return timer;
    }

    /// <summary>
    /// After a periodic timer's callback: queues its next run one period after the run that just happened was due,
    /// or one period from <paramref name="now"/> if that is already past (missed runs are skipped, not run in a
    /// burst). Its new sequence number keeps it out of the current pass. Nothing happens if it was cancelled.
    /// </summary>
    internal void Rearm(ReactorTimer timer, long now)
    {
        long next = timer.DueTimestamp + timer.PeriodTimestamp;
        if (next <= now)
        {
            next = now + timer.PeriodTimestamp;
        }

        if (timer.TryRearm(next, _nextSequence++))
        {
            _heap.Enqueue(timer, new Key(timer.DueTimestamp, timer.Sequence));
        }
    }

    /// <summary>
    /// How long the loop may wait before the earliest live timer is due: <paramref name="limit"/> if there is none or
    /// it is further away, zero if it is due. Rounded up, so a wait never ends before the timer is due.
    /// </summary>
    internal TimeSpan TimeUntilNext(TimeSpan limit)
    {
        DropCancelledHead();
        if (!_heap.TryPeek(out _, out Key head))
        {
            return limit;
        }

        long remaining = head.Due - Now;
        if (remaining <= 0)
        {
            return TimeSpan.Zero;
        }

        double ticks = Math.Ceiling(remaining * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        // The kernel's int millisecond timeout is the ceiling every backend shares.
        double cap = int.MaxValue * (double)TimeSpan.TicksPerMillisecond;
        TimeSpan untilDue = TimeSpan.FromTicks((long)Math.Min(ticks, cap));
        return limit == Timeout.InfiniteTimeSpan || untilDue < limit ? untilDue : limit;
    }

    /// <summary>
    /// Removes and returns the next timer that is due at <paramref name="now"/> and was scheduled before
    /// <paramref name="sequenceLimit"/> (so a timer scheduled with zero delay by a callback waits for the next pass
    /// instead of extending this one forever). Cancelled timers are skipped.
    /// </summary>
    internal bool TryTakeDue(long now, long sequenceLimit, out ReactorTimer? timer)
    {
        while (_heap.TryPeek(out ReactorTimer? head, out Key key) && key.Due <= now && key.Sequence < sequenceLimit)
        {
            _heap.Dequeue();
            if (head.TryStart())
            {
                timer = head;
                return true;
            }
        }

        timer = null;
        return false;
    }

    /// <summary>The sequence number the next scheduled timer will get.</summary>
    internal long NextSequence => _nextSequence;

    internal void Clear() => _heap.Clear();

    private static long ToTimestamp(TimeSpan span) => (long)Math.Ceiling(span.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));

    private void DropCancelledHead()
    {
        while (_heap.TryPeek(out ReactorTimer? head, out _) && head.IsCancelled)
        {
            _heap.Dequeue();
        }
    }

    /// <summary>Heap order: due time, then scheduling order. A struct comparable, so comparisons never box.</summary>
    private readonly record struct Key(long Due, long Sequence) : IComparable<Key>
    {
        public int CompareTo(Key other)
        {
            int byDue = Due.CompareTo(other.Due);
            return byDue != 0 ? byDue : Sequence.CompareTo(other.Sequence);
        }
    }
}
