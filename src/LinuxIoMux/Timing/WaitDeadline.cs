using System.Diagnostics;

namespace LinuxIoMux.Timing;

/// <summary>
/// A validated wait timeout and, once a wait has started, its deadline on the monotonic clock
/// (<see cref="MonotonicClock"/>: <see cref="Stopwatch.GetTimestamp"/>, CLOCK_MONOTONIC on Linux). Used to retry EINTR with the time that is
/// actually left, so a signal neither ends a wait early nor stretches it.
/// </summary>
/// <remarks>
/// The clock is read only for finite, non-zero timeouts: a zero-timeout poll (the hot path of a busy loop) and an
/// infinite wait do not pay for it.
/// </remarks>
internal readonly struct WaitDeadline
{
    private const long Infinite = -1;

    /// <summary>Requested timeout in TimeSpan ticks, or <see cref="Infinite"/>.</summary>
    private readonly long _ticks;

    /// <summary>Stopwatch timestamp when the wait started; 0 when the clock was not read.</summary>
    private readonly long _start;

    private WaitDeadline(long ticks)
    {
        _ticks = ticks;
        _start = ticks > 0 ? MonotonicClock.GetTimestamp() : 0;
    }

    /// <summary>True for "wait forever".</summary>
    internal bool IsInfinite => _ticks == Infinite;

    /// <summary>True for a zero timeout: the wait only checks readiness and cannot block.</summary>
    internal bool IsZero => _ticks == 0;

    /// <summary>True when the requested timeout is not a whole number of milliseconds.</summary>
    internal bool HasSubMillisecondPart => _ticks > 0 && _ticks % TimeSpan.TicksPerMillisecond != 0;

    /// <summary>Starts a wait of <paramref name="milliseconds"/>; -1 is forever, anything below is rejected.</summary>
    internal static WaitDeadline StartMilliseconds(int milliseconds, string paramName)
    {
        if (milliseconds < -1)
        {
            throw new ArgumentOutOfRangeException(paramName, milliseconds,
                "A timeout is -1 (infinite) or a non-negative number of milliseconds.");
        }

        return new WaitDeadline(milliseconds == -1 ? Infinite : milliseconds * TimeSpan.TicksPerMillisecond);
    }

    /// <summary>
    /// Starts a wait of <paramref name="timeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> is forever, other negative
    /// values and values above <see cref="int.MaxValue"/> milliseconds are rejected (the kernel's int timeout).
    /// </summary>
    internal static WaitDeadline StartTimeSpan(TimeSpan timeout, string paramName)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return new WaitDeadline(Infinite);
        }

        if (timeout < TimeSpan.Zero || timeout.Ticks > int.MaxValue * TimeSpan.TicksPerMillisecond)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout,
                "A timeout is Timeout.InfiniteTimeSpan or between zero and int.MaxValue milliseconds.");
        }

        return new WaitDeadline(timeout.Ticks);
    }

    /// <summary>TimeSpan ticks left before the deadline (never negative); only for finite deadlines.</summary>
    internal long RemainingTicks()
    {
        if (_ticks <= 0)
        {
            return 0;
        }

        long elapsed = Stopwatch.GetElapsedTime(_start, MonotonicClock.GetTimestamp()).Ticks;
        return Math.Max(0, _ticks - elapsed);
    }

    /// <summary>
    /// Milliseconds left for an int-millisecond syscall: -1 for forever, otherwise rounded up so a 0.2 ms wait
    /// sleeps 1 ms instead of spinning through zero-timeout calls (mio does the same).
    /// </summary>
    internal int RemainingMillisecondsRoundedUp()
    {
        if (IsInfinite)
        {
            return -1;
        }

        long ticks = RemainingTicks();
        return (int)Math.Min(int.MaxValue, (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond);
    }

    /// <summary>True when a finite deadline has passed: the retry loop then reports "nothing ready".</summary>
    internal bool HasExpired => !IsInfinite && _ticks > 0 && RemainingTicks() == 0;
}
