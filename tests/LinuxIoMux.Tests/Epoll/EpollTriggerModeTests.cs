using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Epoll;

/// <summary>Level-triggered, edge-triggered, one-shot and exclusive registrations on real descriptors.</summary>
public class EpollTriggerModeTests
{
    [Fact]
    public void Level_triggered_reports_again_on_every_wait_while_data_is_unread()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 1);
            b.Write("abc"u8);

            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(new EpollEvent(EpollEvents.In, 1), EpollAssert.Single(epoll));
            }

            Assert.Equal(3, a.Read(new byte[16]));
            EpollAssert.NoEvents(epoll);
        }
    }

    [Fact]
    public void Level_triggered_still_reports_after_a_partial_read()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 1);
            b.Write("abc"u8);
            Assert.Equal(1, a.Read(new byte[1]));

            Assert.Equal(new EpollEvent(EpollEvents.In, 1), EpollAssert.Single(epoll));
        }
    }

    [Fact]
    public void Edge_triggered_reports_once_and_not_again_until_new_data_arrives()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In | EpollEvents.EdgeTriggered, 2);
            b.Write("abc"u8);

            Assert.Equal(new EpollEvent(EpollEvents.In, 2), EpollAssert.Single(epoll));
            EpollAssert.NoEvents(epoll); // still unread, but no new edge
            Assert.Equal(1, a.Read(new byte[1]));
            EpollAssert.NoEvents(epoll); // a read is not an edge either

            b.Write("d"u8);

            Assert.Equal(new EpollEvent(EpollEvents.In, 2), EpollAssert.Single(epoll));
            EpollAssert.NoEvents(epoll);
        }
    }

    [Fact]
    public void Edge_triggered_eventfd_reports_each_signal_once()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In | EpollEvents.EdgeTriggered, 3);

        wake.Signal();
        Assert.Equal(3UL, EpollAssert.Single(epoll).Data);
        EpollAssert.NoEvents(epoll);

        wake.Signal();
        Assert.Equal(3UL, EpollAssert.Single(epoll).Data);
        EpollAssert.NoEvents(epoll);
        Assert.Equal(2UL, wake.Consume());
    }

    [Fact]
    public void OneShot_reports_once_then_nothing_until_Modify_rearms_it()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In | EpollEvents.OneShot, 4);
            b.Write("x"u8);

            Assert.Equal(new EpollEvent(EpollEvents.In, 4), EpollAssert.Single(epoll));
            EpollAssert.NoEvents(epoll);
            b.Write("y"u8);
            EpollAssert.NoEvents(epoll); // disabled: even new data is not reported

            epoll.Modify(a, EpollEvents.In | EpollEvents.OneShot, 5);

            Assert.Equal(new EpollEvent(EpollEvents.In, 5), EpollAssert.Single(epoll));
            EpollAssert.NoEvents(epoll);
        }
    }

    [Fact]
    public void OneShot_fd_stays_registered_while_disarmed()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In | EpollEvents.OneShot, 6);
        wake.Signal();
        Assert.Equal(6UL, EpollAssert.Single(epoll).Data);

        // Disarmed is not removed: a second Add is still EEXIST, and Remove succeeds.
        Assert.Equal(Errno.EEXIST, epoll.TryAdd(wake.Handle, EpollEvents.In, 6));
        Assert.True(epoll.Remove(wake.Handle));
    }

    [Fact]
    public void Modify_changes_the_interest_and_the_data()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 1); // not readable yet: nothing
            EpollAssert.NoEvents(epoll);

            epoll.Modify(a, EpollEvents.Out, 0xFFFF_FFFF_FFFF_FFF0UL);

            Assert.Equal(new EpollEvent(EpollEvents.Out, 0xFFFF_FFFF_FFFF_FFF0UL), EpollAssert.Single(epoll));
        }
    }

    [Fact]
    public void Exclusive_is_accepted_on_Add_and_reports_readiness()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In | EpollEvents.Exclusive, 7);
        EpollAssert.NoEvents(epoll);

        wake.Signal();

        Assert.Equal(new EpollEvent(EpollEvents.In, 7), EpollAssert.Single(epoll));
        Assert.Contains(EpollInterestList.Read(epoll), e => e.Data == 7 && (e.Events & (uint)EpollEvents.Exclusive) != 0);
    }

    [Fact]
    public void Exclusive_with_edge_triggered_on_several_epoll_instances_wakes_a_blocked_waiter()
    {
        // The use EPOLLEXCLUSIVE exists for: several loops, each with its own epoll fd, share one listening fd.
        using var first = EpollHandle.Create();
        using var second = EpollHandle.Create();
        using var wake = new EventFd();
        first.Add(wake.Handle, EpollEvents.In | EpollEvents.Exclusive | EpollEvents.EdgeTriggered, 1);
        second.Add(wake.Handle, EpollEvents.In | EpollEvents.Exclusive | EpollEvents.EdgeTriggered, 2);
        var events = new EpollEvent[2];
        var waiter = new EpollBlockedWaiter(() => first.Wait(events, -1));
        waiter.WaitUntilBlockedInKernel();

        wake.Signal();

        Assert.Equal(1, waiter.Join());
        Assert.Equal(new EpollEvent(EpollEvents.In, 1), events[0]);
    }

    [Fact]
    public void Exclusive_registration_cannot_be_modified_the_kernel_says_EINVAL()
    {
        // Modify without the Exclusive bit passes our check; the kernel refuses MOD of an exclusive registration.
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In | EpollEvents.Exclusive, 8);

        var error = Assert.Throws<UnixException>(() => epoll.Modify(wake.Handle, EpollEvents.In, 9));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Contains($"epoll_ctl(MOD, fd={wake.Handle.Fd})", error.Message, StringComparison.Ordinal);
        Assert.True(epoll.Remove(wake.Handle)); // Remove and Add is the way to change it
        epoll.Add(wake.Handle, EpollEvents.In, 9);
    }
}
