namespace LinuxIoMux.Tests.Allocation;

/// <summary>
/// The steady-state waits allocate nothing: one ready fd, zero timeout, 10,000 calls after a warm-up, measured with
/// GC.GetAllocatedBytesForCurrentThread (exact for this thread).
/// </summary>
public class ZeroAllocationTests
{
    private const int Calls = 10_000;
    private const int WarmUp = 200;

    private static long AllocatedBy(Func<int> wait, int expected)
    {
        for (int i = 0; i < WarmUp; i++)
        {
            Assert.Equal(expected, wait());
        }

        int mismatches = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            if (wait() != expected)
            {
                mismatches++;
            }
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, mismatches); // a wait that saw nothing would prove nothing about the ready path
        return allocated;
    }

    [Fact]
    public void EpollHandle_Wait_into_a_span_allocates_nothing()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var epoll = EpollHandle.Create();
            epoll.Add(a, EpollEvents.Out, 1);
            var events = new EpollEvent[8];
            Assert.Equal(0, AllocatedBy(() => epoll.Wait(events.AsSpan(), 0), expected: 1));
        }
    }

    [Fact]
    public void EpollHandle_Wait_into_a_span_with_a_TimeSpan_allocates_nothing()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var epoll = EpollHandle.Create();
            epoll.Add(a, EpollEvents.Out, 1);
            var events = new EpollEvent[8];
            Assert.Equal(0, AllocatedBy(() => epoll.Wait(events.AsSpan(), TimeSpan.Zero), expected: 1));
        }
    }

    [Fact]
    public void EpollHandle_Wait_into_an_EpollBuffer_allocates_nothing()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var epoll = EpollHandle.Create();
            using var buffer = new EpollBuffer(8);
            epoll.Add(a, EpollEvents.Out, 1);
            Assert.Equal(0, AllocatedBy(() => epoll.Wait(buffer, 0) == 1 && buffer[0].Data == 1 ? 1 : 0, expected: 1));
        }
    }

    [Fact]
    public void PollSet_Wait_allocates_nothing()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var set = new PollSet();
            set.Add(a, PollEvents.Out);
            Assert.Equal(0, AllocatedBy(() => set.Wait(0), expected: 1));
            Assert.Equal(0, AllocatedBy(() => set.Wait(TimeSpan.Zero), expected: 1));
        }
    }

    [Fact]
    public void Select_Wait_allocates_nothing()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            int fd = a.Fd;
            Assert.Equal(0, AllocatedBy(() =>
            {
                var read = new FdSet();
                var write = new FdSet();
                var except = new FdSet();
                write.Set(fd);
                return LinuxIoMux.Select.Wait(ref read, ref write, ref except, TimeSpan.Zero);
            }, expected: 1));
        }
    }
}
