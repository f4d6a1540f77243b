namespace LinuxIoMux.Diagnostics;

/// <summary>
/// One reactor's running totals, written by its loop thread with plain increments (no interlocked operation, no
/// branch on whether anyone listens): the cost of keeping them is a few adds per iteration. <see cref="LinuxIoMuxMetrics"/>
/// reads them only when a listener collects.
/// </summary>
/// <remarks>A collector on another thread may read a value that is a few increments old; on a 64-bit process a
/// <c>long</c> is never torn.</remarks>
internal sealed class ReactorCounters
{
    /// <summary>Waits made (epoll_wait, poll, select calls that returned, timeouts included).</summary>
    internal long Waits;

    /// <summary>Readiness handlers called.</summary>
    internal long EventsDispatched;

    /// <summary>Posted actions run.</summary>
    internal long PostedActions;

    /// <summary>Timer callbacks run.</summary>
    internal long TimersFired;

    /// <summary>Adds <paramref name="other"/>'s totals to this one (a disposed reactor's, kept so the counters never go down).</summary>
    internal void Add(ReactorCounters other)
    {
        Waits += other.Waits;
        EventsDispatched += other.EventsDispatched;
        PostedActions += other.PostedActions;
        TimersFired += other.TimersFired;
    }
}
