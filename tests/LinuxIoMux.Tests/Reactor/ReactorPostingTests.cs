namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>Posting with state (issue 10): the action gets its state, runs once, and nothing is allocated for it.</summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void Post_with_state_runs_once_with_its_state_and_allocates_nothing()
    {
        const int Posts = 10_000;
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var counter = new StrongBox<int>();
        for (int i = 0; i < 100; i++)
        {
            reactor.Post(static box => box.Value++, counter); // warm up: JIT, the queue's first segment
            reactor.RunOnce(TimeSpan.Zero);
        }

        Assert.Equal(100, counter.Value);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Posts; i++)
        {
            reactor.Post(static box => box.Value++, counter);
            reactor.RunOnce(TimeSpan.Zero);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100 + Posts, counter.Value);
        _output.WriteLine($"{allocated} bytes allocated by {Posts} posts with state and their iterations");
        Assert.True(allocated < Posts, $"{allocated} bytes for {Posts} posts: a closure or box per post");
    }

    private sealed class StrongBox<T>
    {
        public T? Value;
    }
}
