using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>Registration.WaitAsync and Reactor.Spawn on every backend (layer 3 of DESIGN.md).</summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void WaitAsync_resumes_inline_in_the_dispatch_before_actions_posted_earlier()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            var order = new List<string>();
            using Registration registration = reactor.Register(a, Interest.Readable, (_, _) => order.Add("handler"));
            int resumedOn = 0;
            Task work = reactor.Spawn(async () =>
            {
                order.Add("waiting");
                Readiness readiness = await registration.WaitAsync(Interest.Readable);
                resumedOn = Environment.CurrentManagedThreadId;
                order.Add(readiness.IsReadable ? "resumed readable" : $"resumed {readiness}");
            });
            RunUntil(reactor, () => order.Count > 0, "the spawned work starts");

            reactor.Post(() => order.Add("posted")); // queued before the readiness exists
            peer.Write("x"u8);
            reactor.RunOnce(HangLimit); // one iteration: dispatch, then the posted action

            // A continuation posted through the SynchronizationContext would run after "posted", in this RunOnce or later.
            Assert.Equal(["waiting", "resumed readable", "handler", "posted"], order);
            Assert.Equal(Environment.CurrentManagedThreadId, resumedOn);
            SpinUntil(() => work.IsCompleted, "the spawned task completes"); // completes on the pool (SpawnedWork)
            Assert.True(work.IsCompletedSuccessfully);
        }
    }

    [SkippableFact]
    public void A_second_wait_in_the_same_direction_throws_and_the_first_still_completes()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            using Registration registration = reactor.Register(a, Interest.Readable | Interest.Writable, static (_, _) => { });
            var filled = SocketFill.UntilFull(a); // not writable: the writable wait below stays pending
            ValueTask<Readiness> first = registration.WaitAsync(Interest.Readable);
            InvalidOperationException second = Assert.Throws<InvalidOperationException>(() => registration.WaitAsync(Interest.Readable));
            Assert.Contains("already pending", second.Message);

            Task<Readiness> firstTask = first.AsTask();
            peer.Write("x"u8);
            RunUntil(reactor, () => firstTask.IsCompleted, "the first wait completes");
            Assert.True(firstTask.Result.IsReadable);
            _output.WriteLine($"{Kind}: {filled} bytes filled the send buffer");
        }
    }

    [SkippableFact]
    public void A_cancelled_wait_throws_OperationCanceled_and_the_registration_stays_usable()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            using Registration registration = reactor.Register(a, Interest.Readable, static (_, _) => { });
            using var cancellation = new CancellationTokenSource();
            Task<Readiness> cancelled = registration.WaitAsync(Interest.Readable, cancellation.Token).AsTask();
            var canceller = new Thread(cancellation.Cancel); // from another thread, as a timeout would
            canceller.Start();
            canceller.Join();
            RunUntil(reactor, () => cancelled.IsCompleted, "the cancelled wait completes");
            OperationCanceledException thrown = Assert.ThrowsAny<OperationCanceledException>(() => cancelled.GetAwaiter().GetResult());
            Assert.Equal(cancellation.Token, thrown.CancellationToken);

            Assert.True(registration.IsActive);
            Task<Readiness> next = registration.WaitAsync(Interest.Readable).AsTask();
            peer.Write("x"u8);
            RunUntil(reactor, () => next.IsCompleted, "a wait after the cancelled one completes");
            Assert.True(next.Result.IsReadable);
        }
    }

    [SkippableFact]
    public void Disposing_the_registration_fails_its_pending_wait_with_ObjectDisposed_and_later_waits_throw()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            Registration registration = reactor.Register(a, Interest.Readable, static (_, _) => { });
            Task<Readiness> pending = registration.WaitAsync(Interest.Readable).AsTask();
            var loop = new Thread(() => reactor.Run());
            loop.Start();
            try
            {
                SpinUntil(() => reactor.IsRunning, "the loop runs");
                registration.Dispose(); // from this thread while the loop sleeps in its wait: it must wake and fail the wait
                SpinUntil(() => pending.IsCompleted, "the pending wait completes");
            }
            finally
            {
                reactor.Stop();
                loop.Join();
            }

            Assert.Throws<ObjectDisposedException>(() => pending.GetAwaiter().GetResult());
            Assert.Throws<ObjectDisposedException>(() => registration.WaitAsync(Interest.Readable));
        }
    }

    [SkippableFact]
    public void Disposing_the_reactor_fails_pending_waits_with_ObjectDisposed_on_the_loop_thread()
    {
        var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            Registration registration = reactor.Register(a, Interest.Readable, static (_, _) => { });
            int loopThread = 0;
            int failedOn = -1;
            Exception? failure = null;
            Task work = reactor.Spawn(async () =>
            {
                loopThread = Environment.CurrentManagedThreadId;
                try
                {
                    await registration.WaitAsync(Interest.Readable);
                }
                catch (ObjectDisposedException exception)
                {
                    failure = exception;
                    failedOn = Environment.CurrentManagedThreadId;
                    throw;
                }
            });
            var loop = new Thread(() => reactor.Run());
            loop.Start();
            SpinUntil(() => loopThread != 0, "the spawned work starts");
            reactor.Dispose();
            loop.Join();

            Assert.IsType<ObjectDisposedException>(failure);
            Assert.Equal(loopThread, failedOn);
            Assert.True(work.IsFaulted);
            Assert.IsType<ObjectDisposedException>(work.Exception!.InnerException);
            Assert.Throws<ObjectDisposedException>(() => registration.WaitAsync(Interest.Readable));
        }
    }

    [SkippableFact]
    public void WaitAsync_rejects_no_direction_both_directions_and_a_direction_the_registration_does_not_watch()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, peer) = SocketPair.Create();
        using (a)
        using (peer)
        {
            using Registration registration = reactor.Register(a, Interest.Readable, static (_, _) => { });
            Assert.Throws<ArgumentException>(() => registration.WaitAsync(Interest.None));
            Assert.Throws<ArgumentException>(() => registration.WaitAsync(Interest.Readable | Interest.Writable));
            InvalidOperationException unwatched = Assert.Throws<InvalidOperationException>(() => registration.WaitAsync(Interest.Writable));
            Assert.Contains("Modify", unwatched.Message);
        }
    }

    [SkippableFact]
    public void Spawned_work_runs_on_the_loop_thread_and_ordinary_awaits_resume_there()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var threads = new List<int>();
        int loopThread = 0;
        var loop = new Thread(() =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            reactor.Run();
        });
        loop.Start();
        try
        {
            Task<int> work = SpawnAndReturn(reactor, async () =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                await Task.Delay(1); // completes on a timer thread: resumes through the loop's SynchronizationContext
                threads.Add(Environment.CurrentManagedThreadId);
                await Task.Yield();
                threads.Add(Environment.CurrentManagedThreadId);
                return 42;
            });
            SpinUntil(() => work.IsCompleted, "the spawned work completes");
            Assert.Equal(42, work.Result);
            Assert.Equal([loopThread, loopThread, loopThread], threads);
        }
        finally
        {
            reactor.Stop();
            loop.Join();
        }

        Task failing = reactor.Spawn(static () => throw new InvalidDataException("thrown by the work"));
        RunUntil(reactor, () => failing.IsCompleted, "the failing work completes");
        Assert.IsType<InvalidDataException>(failing.Exception!.InnerException);
        ArgumentNullException noWork = Assert.Throws<ArgumentNullException>(() => SpawnNothing(reactor));
        Assert.Equal("work", noWork.ParamName);
    }

    [SkippableFact]
    public void The_task_Spawn_returns_completes_on_the_loop_thread_as_the_work_completes()
    {
        // Regression: the caller's task was completed by a continuation the runtime queued to the thread pool (a
        // ConfigureAwait(false) continuation is not inlined under a SynchronizationContext), so right after the work
        // ended, or after Dispose and the loop's exit, the returned task could still be running.
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var source = new TaskCompletionSource();
        int loopThread = 0;
        Task work = reactor.Spawn(async () =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            await source.Task;
        });
        int completedOn = 0;
        Task observed = work.ContinueWith(
            _ => completedOn = Environment.CurrentManagedThreadId,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        reactor.Post(() => source.SetResult()); // the work resumes inline here, on the loop thread, and ends
        RunUntil(reactor, () => work.IsCompleted, "the spawned work completes");
        Assert.True(observed.IsCompleted, "the caller's task completed inside the loop's iteration");
        Assert.Equal(loopThread, completedOn);
    }

    private static void SpawnNothing(LinuxIoMux.Reactor reactor) => reactor.Spawn(null!);

    private static Task<T> SpawnAndReturn<T>(LinuxIoMux.Reactor reactor, Func<Task<T>> work)
    {
        Task<T>? inner = null;
        Task spawned = reactor.Spawn(() => inner = work());
        return spawned.ContinueWith(_ => inner!, TaskScheduler.Default).Unwrap();
    }
}
