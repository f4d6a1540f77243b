namespace LinuxIoMux.Tests;

public class SmokeTests
{
    [Fact]
    public void Epoll_reports_a_readable_socketpair()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 42);
            b.Write("x"u8);
            Span<EpollEvent> events = stackalloc EpollEvent[4];
            Assert.Equal(1, epoll.Wait(events, 0));
            Assert.Equal(42UL, events[0].Data);
            Assert.Equal(EpollEvents.In, events[0].Events);
        }
    }
}
