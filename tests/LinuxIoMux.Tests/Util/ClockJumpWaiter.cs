using System.Diagnostics;
using System.Runtime.InteropServices;
using LinuxIoMux.Timing;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Runs a timed wait on its own thread under a <see cref="MonotonicClock"/> that the test makes jump forward while
/// the thread sleeps in the kernel, then interrupts that sleep with exactly one SIGWINCH. The EINTR retry must hand
/// the kernel only what is left of the timeout on the (jumped) clock: a few hundred milliseconds of real time. Handing
/// it the whole timeout again costs seconds. So the difference between right and wrong is seconds, far beyond the
/// scheduling noise of a shared machine, and no real clock reading has to be precise.
/// </summary>
internal static class ClockJumpWaiter
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="wait"/> (whose timeout starts inside it) on a new thread; once that thread sleeps in a
    /// wait syscall, moves its clock forward by <paramref name="jump"/> and sends it one signal.
    /// </summary>
    /// <returns>The wait's result, the real time it took, and the EINTR retries counted meanwhile.</returns>
    public static (T Result, TimeSpan Elapsed, long Retries) Run<T>(Func<T> wait, TimeSpan jump)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("SIGWINCH, tgkill and /proc are Linux tests.");
        }

        // A caught SIGWINCH interrupts waits; its default disposition ("ignore") would not.
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => context.Cancel = true);
        long jumpTimestamp = (long)(jump.TotalSeconds * Stopwatch.Frequency);
        int jumped = 0;
        int tid = 0;
        T result = default!;
        Exception? failure = null;
        TimeSpan elapsed = default;
        var thread = new Thread(() =>
        {
            Volatile.Write(ref tid, TestLibC.gettid());
            using IDisposable clock = MonotonicClock.Override(
                () => Stopwatch.GetTimestamp() + (Volatile.Read(ref jumped) == 1 ? jumpTimestamp : 0));
            long start = Stopwatch.GetTimestamp();
            try
            {
                result = wait();
            }
            catch (Exception e)
            {
                failure = e;
            }

            elapsed = Stopwatch.GetElapsedTime(start);
        }) { IsBackground = true, Name = "clock-jump waiter" };

        long retriesBefore = InterruptCounter.Retries;
        thread.Start();
        WaitUntilSleepingInAWait(thread, ref tid);
        Volatile.Write(ref jumped, 1);
        Assert.True(TestLibC.tgkill(TestLibC.getpid(), tid, TestLibC.SIGWINCH) == 0, $"tgkill: errno {Marshal.GetLastPInvokeError()}");
        Assert.True(thread.Join(HangDetector), $"hang detector: the wait did not return within {HangDetector}");
        if (failure is not null)
        {
            throw new InvalidOperationException("The wait threw.", failure);
        }

        return (result, elapsed, InterruptCounter.Retries - retriesBefore);
    }

    /// <summary>Spins until the thread sleeps (state S) in epoll_wait/pwait/pwait2, poll, ppoll, select or pselect6.</summary>
    private static void WaitUntilSleepingInAWait(Thread thread, ref int tid)
    {
        // /proc/TID/syscall names the syscall a blocked thread is in. x86-64: poll 7, select 23, epoll_wait 232,
        // pselect6 270, ppoll 271, epoll_pwait 281, epoll_pwait2 441. arm64 has only epoll_pwait 22, pselect6 72,
        // ppoll 73 and epoll_pwait2 441, in the numbering /proc uses (the kernel's: see ProcSyscallNumbering).
        int[] waits = ProcSyscallNumbering.IsArm64
            ? [22, 72, 73, 441]
            : [7, 23, 232, 270, 271, 281, 441];
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < HangDetector)
        {
            Assert.True(thread.IsAlive, "the wait returned before it ever blocked in the kernel");
            int id = Volatile.Read(ref tid);
            if (id != 0)
            {
                try
                {
                    last = File.ReadAllText($"/proc/self/task/{id}/syscall").Trim();
                    string stat = File.ReadAllText($"/proc/self/task/{id}/stat");
                    bool sleeping = stat[(stat.LastIndexOf(')') + 2)..].StartsWith('S');
                    if (sleeping && int.TryParse(last.Split(' ')[0], out int number) && waits.Contains(number))
                    {
                        return;
                    }
                }
                catch (IOException)
                {
                    last = "(thread gone)";
                }
            }

            Thread.Sleep(1);
        }

        Assert.Fail($"the waiter never slept in a wait syscall; /proc syscall: {last}");
    }
}
