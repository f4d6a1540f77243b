using System.Diagnostics.Metrics;

namespace LinuxIoMux.Diagnostics;

/// <summary>
/// The <c>LinuxIoMux</c> meter (System.Diagnostics.Metrics): what every reactor in the process does, for
/// <c>dotnet-counters monitor --counters LinuxIoMux</c>, OpenTelemetry or any <see cref="MeterListener"/>.
/// </summary>
/// <remarks>
/// <para>Instruments (all process-wide sums over every reactor, disposed ones included, so counters never go down):
/// <c>linuxiomux.reactor.waits</c>, <c>linuxiomux.reactor.events_dispatched</c>, <c>linuxiomux.reactor.posted_actions</c>,
/// <c>linuxiomux.reactor.timers_fired</c> (observable counters), <c>linuxiomux.reactor.registrations</c> (an observable
/// up-down counter: descriptors registered now), <c>linuxiomux.reactor.events_per_wait</c> (a histogram of how many
/// descriptors each wait reported) and <c>linuxiomux.acceptor.sheds</c> (connections accepted and closed at once
/// because the process was out of descriptors).</para>
/// <para><b>No cost when nobody listens.</b> The loop keeps plain per-reactor totals (<see cref="ReactorCounters"/>) that
/// the observable instruments read only when collected; the histogram is recorded only while a listener has enabled it.
/// Steady-state iterations stay allocation-free.</para>
/// </remarks>
internal static class LinuxIoMuxMetrics
{
    /// <summary>The meter's name, as given to <c>dotnet-counters --counters</c>.</summary>
    internal const string MeterName = "LinuxIoMux";

    private static readonly Meter s_meter = new(MeterName, typeof(LinuxIoMuxMetrics).Assembly.GetName().Version?.ToString(3));
    private static readonly object s_lock = new();
    private static readonly List<Reactor> s_live = [];
    private static readonly ReactorCounters s_retired = new();
    private static long s_sheds;

    /// <summary>Descriptors reported per wait; record only when <see cref="Instrument.Enabled"/>.</summary>
    internal static readonly Histogram<int> EventsPerWait = s_meter.CreateHistogram<int>(
        "linuxiomux.reactor.events_per_wait", "{event}", "Descriptors reported ready by one wait (epoll_wait, poll, select).");

    static LinuxIoMuxMetrics()
    {
        s_meter.CreateObservableCounter("linuxiomux.reactor.waits", () => Sum(static c => c.Waits), "{wait}",
            "Waits made by every reactor (epoll_wait, poll or select calls, timeouts included).");
        s_meter.CreateObservableCounter("linuxiomux.reactor.events_dispatched", () => Sum(static c => c.EventsDispatched), "{event}",
            "Readiness handlers called.");
        s_meter.CreateObservableCounter("linuxiomux.reactor.posted_actions", () => Sum(static c => c.PostedActions), "{action}",
            "Actions posted to a reactor and run on its loop.");
        s_meter.CreateObservableCounter("linuxiomux.reactor.timers_fired", () => Sum(static c => c.TimersFired), "{timer}",
            "Timer callbacks run.");
        s_meter.CreateObservableUpDownCounter("linuxiomux.reactor.registrations", Registrations, "{descriptor}",
            "Descriptors registered with a reactor now (each reactor's own waker not counted).");
        s_meter.CreateObservableCounter("linuxiomux.acceptor.sheds", () => Interlocked.Read(ref s_sheds), "{connection}",
            "Connections an Acceptor accepted and closed at once because the process was out of descriptors (EMFILE).");
    }

    /// <summary>A reactor was constructed: its counters join the sums.</summary>
    internal static void Track(Reactor reactor)
    {
        lock (s_lock)
        {
            s_live.Add(reactor);
        }
    }

    /// <summary>A reactor was disposed: its totals are kept, its registrations no longer counted.</summary>
    internal static void Retire(Reactor reactor)
    {
        lock (s_lock)
        {
            if (s_live.Remove(reactor))
            {
                s_retired.Add(reactor.Counters);
            }
        }
    }

    /// <summary>An Acceptor shed a connection at EMFILE (rare: an interlocked add is fine here).</summary>
    internal static void Shed() => Interlocked.Increment(ref s_sheds);

    private static long Sum(Func<ReactorCounters, long> read)
    {
        lock (s_lock)
        {
            long sum = read(s_retired);
            foreach (Reactor reactor in s_live)
            {
                sum += read(reactor.Counters);
            }

            return sum;
        }
    }

    private static long Registrations()
    {
        lock (s_lock)
        {
            long sum = 0;
            foreach (Reactor reactor in s_live)
            {
                sum += reactor.RegistrationCount;
            }

            return sum;
        }
    }
}
