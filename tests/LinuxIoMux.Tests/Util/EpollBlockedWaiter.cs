using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Runs an epoll wait on a dedicated thread and tells when that thread is really blocked inside the kernel
/// (<c>/proc/self/task/TID/syscall</c> names the syscall it sleeps in), so a test that wakes or disposes under a
/// blocked waiter does not depend on a sleep being long enough.
/// </summary>
internal sealed class EpollBlockedWaiter
{
    /// <summary>The epoll wait syscall numbers in the numbering /proc uses (<see cref="ProcSyscallNumbering"/>).
    /// x86-64: epoll_wait 232, epoll_pwait 281, epoll_pwait2 441. arm64 (no epoll_wait): epoll_pwait 22, epoll_pwait2 441.</summary>
    private static readonly Lazy<int[]> s_kernelEpollWaits = new(() => ProcSyscallNumbering.IsArm64 ? [22, 441] : [232, 281, 441]);

    private readonly Thread _thread;
    private readonly TaskCompletionSource<int> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile int _tid;

    public EpollBlockedWaiter(Func<int> wait)
    {
        _thread = new Thread(() =>
        {
            _tid = TestLibC.gettid();
            try
            {
                _result.SetResult(wait());
            }
            catch (Exception e)
            {
                _result.SetException(e);
            }
        })
        {
            IsBackground = true, // a hung wait must not keep the test host alive
            Name = "epoll waiter",
        };
        _thread.Start();
    }

    /// <summary>Completes with the wait's return value (or its exception).</summary>
    public Task<int> Result => _result.Task;

    /// <summary>True once the wait has returned or thrown.</summary>
    public bool HasReturned => Result.IsCompleted;

    /// <summary>
    /// Waits for the wait to return (failing the test if it has not within the hang detector's bound) and returns its
    /// result, rethrowing its exception if it threw.
    /// </summary>
    public int Join()
    {
        Assert.True(_thread.Join(EpollAssert.HangDetectorMilliseconds), "the blocked wait never returned");
        return Result.GetAwaiter().GetResult();
    }

    /// <summary>Spins (up to the hang detector) until the thread sleeps in epoll_wait, epoll_pwait or epoll_pwait2.</summary>
    public void WaitUntilBlockedInKernel()
    {
        int[] epollWaits = s_kernelEpollWaits.Value;
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.ElapsedMilliseconds < EpollAssert.HangDetectorMilliseconds)
        {
            Assert.False(Result.IsCompleted, $"the wait returned before it blocked: {Result.Status}");
            int tid = _tid;
            if (tid != 0)
            {
                try
                {
                    last = File.ReadAllText($"/proc/self/task/{tid}/syscall").Trim();
                }
                catch (IOException)
                {
                    last = "(thread gone)";
                }

                string first = last.Split(' ')[0];
                if (int.TryParse(first, out int number) && epollWaits.Contains(number) && ThreadIsSleeping(tid))
                {
                    return;
                }
            }

            Thread.Sleep(1);
        }

        Assert.Fail($"the waiter never blocked in an epoll wait; /proc syscall: {last}");
    }

    private static bool ThreadIsSleeping(int tid)
    {
        // stat: "tid (comm) S ..." where comm may hold spaces; the state follows the last ')'.
        string stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('S');
    }
}
