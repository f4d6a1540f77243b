using System.Diagnostics;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Docs;

/// <summary>The C# blocks of docs/signals.md, docs/timerfd.md and docs/pidfd.md, verbatim (see DocsExamplesTests.cs).</summary>
public partial class DocsExamplesTests
{
    // ---------------------------------------------------------------- docs/signals.md

    [Fact]
    public void Signals_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Signals_Set);
        Assert.Equal(["{SIGHUP, SIGINT, SIGTERM}", "False"], lines);

        // The shutdown example runs on its own thread (it blocks SIGTERM there); SIGTERM is sent to that thread only
        // once /proc says the thread blocks it, so an early signal can never reach the runtime's handler.
        int loopThread = 0;
        lines = Capture(() => SignalThread.Run(() =>
        {
            Volatile.Write(ref loopThread, TestLibC.gettid());
            Signals_ShutdownOnSigterm();
        }, afterStart: () => SendSigtermOnceBlocked(() => Volatile.Read(ref loopThread))));
        Assert.Equal(2, lines.Length);
        Assert.Equal($"SIGTERM from pid {Environment.ProcessId}: stopping", lines[0]);
        Assert.Equal("stopped", lines[1]);

        lines = Capture(() => SignalThread.Run(Signals_MaskedWait));
        Assert.Equal(["0"], lines);
    }

    private static void SendSigtermOnceBlocked(Func<int> thread)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            int tid = thread();
            if (tid != 0 && BlockedSignals(tid).Contains(UnixSignal.SIGTERM))
            {
                Thread.Sleep(20); // let Run enter its wait; a signal pending before that is reported all the same
                Assert.Equal(0, TestLibC.tgkill(Environment.ProcessId, tid, (int)UnixSignal.SIGTERM));
                return;
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException("The loop thread never blocked SIGTERM.");
    }

    /// <summary>The SigBlk line of /proc/self/task/TID/status: another thread's mask.</summary>
    private static SignalSet BlockedSignals(int tid)
    {
        string line = File.ReadLines($"/proc/self/task/{tid}/status").First(l => l.StartsWith("SigBlk:"));
        ulong bits = Convert.ToUInt64(line["SigBlk:".Length..].Trim(), 16);
        var set = SignalSet.Empty;
        for (int signal = 1; signal <= SignalSet.MaxSignal; signal++)
        {
            if ((bits & (1UL << (signal - 1))) != 0)
            {
                set.Add((UnixSignal)signal);
            }
        }

        return set;
    }

    private static void Signals_Set()
    {
        var set = SignalSet.Of(UnixSignal.SIGTERM, UnixSignal.SIGINT);
        set.Add(UnixSignal.SIGHUP);
        Console.WriteLine(set);                                 // {SIGHUP, SIGINT, SIGTERM}
        Console.WriteLine(set.Contains(UnixSignal.SIGQUIT));    // False
    }

    private static void Signals_ShutdownOnSigterm()
    {
        // On the loop thread, before it starts threads of its own (they inherit the mask):
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        using var shutdown = new SignalFd(SignalSet.Of(UnixSignal.SIGTERM, UnixSignal.SIGINT));
        reactor.Register(shutdown.Handle, Interest.Readable, (registration, readiness) =>
        {
            while (shutdown.TryRead(out SignalInfo info))
                Console.WriteLine($"{info.Signal} from pid {info.ProcessId}: stopping");
            reactor.Stop();                        // connections are closed after Run returns
        });
        reactor.Run();                             // returns once the signal has been handled
        Console.WriteLine("stopped");
    }

    private static void Signals_MaskedWait()
    {
        using var epoll = EpollHandle.Create();
        ThreadSignalMask.Block(SignalSet.Of(UnixSignal.SIGHUP));   // blocked outside the wait ...
        SignalSet mask = ThreadSignalMask.Get();
        mask.Remove(UnixSignal.SIGHUP);                            // ... deliverable inside it
        int ready = epoll.Wait(new EpollEvent[16], timeoutMilliseconds: 10, mask);
        Console.WriteLine(ready);                                  // 0: nothing registered, no signal
        ThreadSignalMask.Unblock(SignalSet.Of(UnixSignal.SIGHUP));
    }

    // ---------------------------------------------------------------- docs/timerfd.md

    [Fact]
    public void Timerfd_example_prints_what_the_page_says()
    {
        string[] lines = Capture(Timerfd_TickAndDeadline);
        Assert.Equal(["1", "True", "5", "0"], lines);
    }

    private static void Timerfd_TickAndDeadline()
    {
        using var epoll = EpollHandle.Create();
        using var tick = new TimerFd(TimerClock.Monotonic);             // TFD_NONBLOCK | TFD_CLOEXEC
        tick.Set(TimeSpan.FromMilliseconds(5), interval: TimeSpan.FromMilliseconds(5));
        epoll.Add(tick.Handle, EpollEvents.In, data: 1);

        var events = new EpollEvent[4];
        Console.WriteLine(epoll.Wait(events, timeoutMilliseconds: 1000)); // 1: it expired
        Thread.Sleep(50);
        Console.WriteLine(tick.ReadExpirations() > 1);                  // True: expirations are counted, not queued
        Console.WriteLine(tick.Get().Interval.TotalMilliseconds);       // 5

        using var deadline = new TimerFd(TimerClock.BootTime);          // keeps counting through suspend
        deadline.SetAbsolute(TimerFd.Now(TimerClock.BootTime) + TimeSpan.FromSeconds(30));
        Console.WriteLine(deadline.ReadExpirations());                  // 0: not yet (EAGAIN, no exception)
        deadline.Disarm();
    }

    // ---------------------------------------------------------------- docs/pidfd.md

    [Fact]
    public void Pidfd_example_prints_what_the_page_says()
    {
        string[] lines = Capture(Pidfd_WaitForChild);
        Assert.Equal(["False", "1", "True", "0"], lines);
    }

    private static void Pidfd_WaitForChild()
    {
        using Process child = Process.Start("sleep", "0.1");
        using PidFd exited = PidFd.Open(child);                   // or PidFd.Open(child.Id)
        using var epoll = EpollHandle.Create();
        epoll.Add(exited.Handle, EpollEvents.In, data: 3);

        Console.WriteLine(exited.HasExited);                      // False: sleep is still running
        var events = new EpollEvent[4];
        Console.WriteLine(epoll.Wait(events, timeoutMilliseconds: 10_000)); // 1: readable once it exited
        Console.WriteLine(exited.HasExited);                      // True
        child.WaitForExit();
        Console.WriteLine(child.ExitCode);                        // 0: the runtime reaped it, as usual
    }
}
