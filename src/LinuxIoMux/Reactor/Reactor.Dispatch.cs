using LinuxIoMux.Diagnostics;

namespace LinuxIoMux;

/// <summary>One loop iteration: wait, dispatch the ready descriptors, then the due timers, then the posted actions.</summary>
public sealed partial class Reactor
{
    /// <summary>One loop iteration: wait, handlers, timers, posted actions.</summary>
    private int Iterate(TimeSpan timeout)
    {
        RemovePendingUnregistrations();
        TimeSpan wait = !_posted.IsEmpty || _stopRequested ? TimeSpan.Zero : _timers.TimeUntilNext(timeout);
        int ready = _multiplexer.Wait(_ready, wait);
        Counters.Waits++;
        if (LinuxIoMuxMetrics.EventsPerWait.Enabled)
        {
            LinuxIoMuxMetrics.EventsPerWait.Record(ready);
        }
        int callbacks = 0;
        _dispatching = true;
        try
        {
            callbacks += DispatchReady(ready);
            callbacks += RunDueTimers();
            callbacks += RunPosted();
        }
        finally
        {
            _dispatching = false;
        }

        return callbacks;
    }

    private int DispatchReady(int ready)
    {
        int callbacks = 0;
        for (int i = 0; i < ready && !IsDisposed; i++)
        {
            ReadyEvent e = _ready[i];
            if (e.Token == RegistrationTable.ReservedToken)
            {
                _waker.Acknowledge();
                continue;
            }

            Registration? registration = _registrations.Find(e.Token);
            if (registration is null || !registration.IsActive)
            {
                continue; // disposed earlier in this batch or from another thread, or the slot was reused: stale
            }

            callbacks++;
            Counters.EventsDispatched++;
            Readiness readiness = e.Readiness.FoldedInto(registration.Interest);
            if (registration.Waiters is { } waiters)
            {
                if (readiness.IsReadable)
                {
                    // Counted even with no waiter: ReactorSocket's drained check (Async/ReactorSocket.Drained.cs) needs it.
                    registration.ReadableReports++;
                    registration.HangUpReported |= readiness.IsHangUp || readiness.IsError;
                }

                // Awaiting code resumes here, inline on the loop thread (Async/ReadinessAwaiter.cs), before the handler.
                waiters.Complete(readiness);
                if (!registration.IsActive)
                {
                    continue; // the continuation disposed it
                }
            }

            try
            {
                registration.Handler(registration, readiness);
            }
            catch (Exception exception)
            {
                Report(exception);
            }
        }

        return callbacks;
    }

    /// <summary>Passes a callback's exception to <see cref="UnhandledException"/> (or standard error).</summary>
    internal void Report(Exception exception)
    {
        UnhandledExceptionEventHandler? handler = UnhandledException;
        if (handler is null)
        {
            Console.Error.WriteLine($"LinuxIoMux.Reactor: unhandled exception in a callback (the loop continues): {exception}");
            return;
        }

        handler(this, new UnhandledExceptionEventArgs(exception, isTerminating: false));
    }
}
