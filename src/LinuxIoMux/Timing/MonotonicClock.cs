using System.Diagnostics;

namespace LinuxIoMux.Timing;

/// <summary>
/// The monotonic clock every deadline and timer reads: <see cref="Stopwatch.GetTimestamp"/> (CLOCK_MONOTONIC on
/// Linux), unless the calling thread has installed a replacement with <see cref="Override"/>.
/// </summary>
/// <remarks>
/// The replacement exists for the tests, which cannot otherwise observe two things that matter: the time an EINTR
/// retry hands back to the kernel (a clock that jumps forward during the wait makes "the time left" and "the whole
/// timeout again" differ by seconds instead of by scheduling noise), and the timer queue's behaviour when several
/// timers fall on the same clock tick (a frozen clock makes due times equal, which a nanosecond clock almost never
/// does on its own but a coarse CLOCK_MONOTONIC can). It is per thread, so a test never disturbs the waits of other
/// threads, and costs one thread-static read on the paths that read the clock at all.
/// </remarks>
internal static class MonotonicClock
{
    [ThreadStatic]
    private static Func<long>? t_override;

    /// <summary>Overrides installed on any thread. While 0 the thread-static is never read: its first read on a
    /// thread allocates that thread's static storage, which a loop thread's zero-allocation steady state must not.</summary>
    private static int s_overrides;

    /// <summary>The current timestamp in <see cref="Stopwatch.Frequency"/> units.</summary>
    internal static long GetTimestamp() =>
        Volatile.Read(ref s_overrides) != 0 && t_override is { } clock ? clock() : Stopwatch.GetTimestamp();

    /// <summary>
    /// Makes <see cref="GetTimestamp"/> return <paramref name="clock"/>'s values on the calling thread until the result
    /// is disposed (on that same thread). For tests only.
    /// </summary>
    internal static IDisposable Override(Func<long> clock)
    {
        Func<long>? previous = t_override;
        t_override = clock;
        Interlocked.Increment(ref s_overrides);
        return new Restore(previous);
    }

    private sealed class Restore(Func<long>? previous) : IDisposable
    {
        public void Dispose()
        {
            t_override = previous;
            Interlocked.Decrement(ref s_overrides);
        }
    }
}
