using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Runs one blocking call on a dedicated thread and keeps hitting that thread with SIGWINCH (tgkill) until it
/// returns, so its syscalls fail with EINTR. A PosixSignalRegistration makes SIGWINCH caught (its default
/// disposition is "ignore", which would never interrupt anything); epoll_wait, poll and select are never restarted
/// by SA_RESTART (signal(7)), so each signal that lands during the wait is an EINTR the library must retry.
/// </summary>
internal sealed class SignalStorm : IDisposable
{
    private readonly PosixSignalRegistration _registration;

    public SignalStorm()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("SIGWINCH and tgkill are Linux tests.");
        }

        _registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => context.Cancel = true);
    }

    /// <summary>How many signals were sent in the last <see cref="Run{T}"/>.</summary>
    public int SignalsSent { get; private set; }

    /// <summary>
    /// Runs <paramref name="call"/> on a new thread, signals it every <paramref name="interval"/> until it returns,
    /// calling <paramref name="afterSignals"/> once <paramref name="signalsBeforeAction"/> signals were sent.
    /// </summary>
    /// <returns>The call's result and how long it took, measured on its own thread.</returns>
    public (T Result, TimeSpan Elapsed) Run<T>(Func<T> call, TimeSpan interval, TimeSpan hangDetector,
        int signalsBeforeAction = int.MaxValue, Action? afterSignals = null)
    {
        int tid = 0;
        T result = default!;
        TimeSpan elapsed = default;
        Exception? failure = null;
        using var started = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            Volatile.Write(ref tid, TestLibC.gettid());
            started.Set();
            long start = Stopwatch.GetTimestamp();
            try
            {
                result = call();
            }
            catch (Exception e)
            {
                failure = e;
            }

            elapsed = Stopwatch.GetElapsedTime(start);
        }) { IsBackground = true, Name = "SignalStorm waiter" };
        thread.Start();
        if (!started.Wait(hangDetector))
        {
            throw new TimeoutException("The waiter thread did not start.");
        }

        int pid = TestLibC.getpid();
        long deadline = Stopwatch.GetTimestamp() + (long)(hangDetector.TotalSeconds * Stopwatch.Frequency);
        SignalsSent = 0;
        bool acted = false;
        while (!thread.Join(interval))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The wait did not return within {hangDetector} ({SignalsSent} signals sent).");
            }

            if (TestLibC.tgkill(pid, Volatile.Read(ref tid), TestLibC.SIGWINCH) != 0)
            {
                throw new InvalidOperationException($"tgkill failed: errno {Marshal.GetLastPInvokeError()}");
            }

            SignalsSent++;
            if (!acted && SignalsSent >= signalsBeforeAction && afterSignals is not null)
            {
                acted = true;
                afterSignals();
            }
        }

        if (failure is not null)
        {
            throw new InvalidOperationException("The wait threw.", failure);
        }

        return (result, elapsed);
    }

    public void Dispose() => _registration.Dispose();
}
