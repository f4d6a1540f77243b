using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Runs a test body on a new thread that ends with it, so the signals it blocks never leak into the thread pool or
/// the test runner's threads (a thread's mask outlives the test otherwise), and signals sent to it with
/// <see cref="SendToCurrentThread"/> reach only it.
/// </summary>
internal static unsafe class SignalThread
{
    private static readonly TimeSpan s_hangDetector = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <paramref name="body"/> on a dedicated thread; rethrows its exception (assertion failures too).
    /// <paramref name="afterStart"/> runs on the calling thread meanwhile (to signal the body from outside).
    /// </summary>
    public static void Run(Action body, Action? afterStart = null)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }) { IsBackground = true, Name = "signal test" };
        thread.Start();
        afterStart?.Invoke();
        if (!thread.Join(s_hangDetector))
        {
            throw new TimeoutException($"The signal test thread did not finish within {s_hangDetector}.");
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>tgkill(getpid(), gettid(), signal): a signal for the calling thread only.</summary>
    public static void SendToCurrentThread(UnixSignal signal)
    {
        if (TestLibC.tgkill(TestLibC.getpid(), TestLibC.gettid(), (int)signal) != 0)
        {
            throw new InvalidOperationException($"tgkill failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The signals pending for the calling thread (or the process), read with sigpending(2).</summary>
    public static SignalSet Pending()
    {
        ulong* set = stackalloc ulong[16];
        if (TestLibC.sigpending(set) != 0)
        {
            throw new InvalidOperationException($"sigpending failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var pending = SignalSet.Empty;
        for (int signal = 1; signal <= SignalSet.MaxSignal; signal++)
        {
            if ((set[0] & (1UL << (signal - 1))) != 0)
            {
                pending.Add((UnixSignal)signal);
            }
        }

        return pending;
    }
}
