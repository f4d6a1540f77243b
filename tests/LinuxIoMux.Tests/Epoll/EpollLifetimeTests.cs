using System.Net.Sockets;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Epoll;

/// <summary>
/// Descriptor lifetime around an epoll instance: closing registered fds, reused fd numbers, disposing under a blocked
/// waiter, and no leaked descriptors over many cycles.
/// </summary>
public class EpollLifetimeTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromMilliseconds(EpollAssert.HangDetectorMilliseconds);

    [Fact]
    public async Task Disposing_a_registered_Socket_returns_promptly()
    {
        // A SafeHandle reference held for the registration's lifetime would make Socket.Dispose spin forever.
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(client.SafeHandle, EpollEvents.In | EpollEvents.Out, 1);
        Assert.Equal(new EpollEvent(EpollEvents.Out, 1), EpollAssert.Single(epoll));

        await Task.Run(client.Dispose).WaitAsync(HangDetector); // hang detector, not a timing assertion

        Assert.True(client.SafeHandle.IsClosed);
        Assert.Empty(EpollInterestList.Read(epoll)); // the kernel dropped the closed fd by itself
        EpollAssert.NoEvents(epoll);
    }

    [Fact]
    public async Task Disposing_a_registered_Socket_while_another_thread_waits_returns_promptly()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(client.SafeHandle, EpollEvents.In, 1);
        epoll.Add(wake.Handle, EpollEvents.In, 2);
        var events = new EpollEvent[4];
        var waiter = new EpollBlockedWaiter(() => epoll.Wait(events, -1));
        waiter.WaitUntilBlockedInKernel();

        await Task.Run(client.Dispose).WaitAsync(HangDetector);

        // Closing an fd removes it silently: no event wakes the waiter for it. The eventfd ends the wait.
        Assert.False(waiter.HasReturned);
        wake.Signal();
        Assert.Equal(1, waiter.Join());
        Assert.Equal(new EpollEvent(EpollEvents.In, 2), events[0]);
    }

    [Fact]
    public async Task Disposing_a_registered_listening_Socket_returns_promptly()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(8);
        using var epoll = EpollHandle.Create();
        epoll.Add(listener.SafeHandle, EpollEvents.In | EpollEvents.Exclusive, 1);

        await Task.Run(listener.Dispose).WaitAsync(HangDetector);

        Assert.Empty(EpollInterestList.Read(epoll));
    }

    [Fact]
    public void Remove_of_a_closed_SafeHandle_returns_false()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 1);
            a.Dispose();

            Assert.False(epoll.Remove(a));
            Assert.Empty(EpollInterestList.Read(epoll));
        }
    }

    [Fact]
    public void Remove_of_a_closed_Socket_SafeHandle_returns_false()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(client.SafeHandle, EpollEvents.In, 1);
        EpollTcpPair.DisposeWithin(client);

        Assert.False(epoll.Remove(client.SafeHandle));
    }

    [Fact]
    public void Remove_of_a_closed_raw_fd_returns_false()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            int raw = TestLibC.dup(a.Fd);
            Assert.True(raw >= 0);
            epoll.Add(raw, EpollEvents.In, 1);
            Assert.Equal([raw], EpollInterestList.Fds(epoll));
            Assert.Equal(0, TestLibC.close(raw));

            // a still refers to the same socket, so the registration (keyed by file and number) outlives the close
            // of raw: the kernel removes an fd from the interest list only when its last descriptor closes.
            Assert.False(epoll.Remove(raw));
            Assert.Equal([raw], EpollInterestList.Fds(epoll));
        }
    }

    [Fact]
    public void Closing_the_only_descriptor_drops_the_registration_and_Remove_returns_false()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            int raw = TestLibC.dup(a.Fd);
            Assert.True(raw >= 0);
            a.Dispose(); // raw is now the socket's only descriptor
            epoll.Add(raw, EpollEvents.In, 1);
            Assert.Equal(0, TestLibC.close(raw));

            Assert.Empty(EpollInterestList.Read(epoll));
            Assert.False(epoll.Remove(raw));
        }
    }

    [Fact]
    public void Closed_fd_with_a_dup_still_open_keeps_reporting_under_the_old_data()
    {
        // The caveat the reactor's generation counter exists for (epoll(7), "Questions and answers" 6).
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (b)
        {
            int dup = TestLibC.dup(a.Fd);
            Assert.True(dup >= 0);
            try
            {
                epoll.Add(a, EpollEvents.In, 0xDEAD);
                a.Dispose();

                b.Write("x"u8);

                Assert.Equal(new EpollEvent(EpollEvents.In, 0xDEAD), EpollAssert.Single(epoll));
            }
            finally
            {
                Assert.Equal(0, TestLibC.close(dup));
            }

            Assert.Empty(EpollInterestList.Read(epoll)); // the last descriptor is gone: so is the registration
        }
    }

    [Fact]
    public void New_socket_reusing_a_closed_registered_fd_number_can_be_added()
    {
        using var epoll = EpollHandle.Create();
        var (old, oldPeer) = SocketPair.Create();
        var (fresh, freshPeer) = SocketPair.Create();
        using (old)
        using (oldPeer)
        using (fresh)
        using (freshPeer)
        {
            int number = old.Fd;
            epoll.Add(old, EpollEvents.In, 1);

            // dup2 closes the old socket at `number` and puts the new one there in one atomic step, so no other
            // thread's fd can slip into the number in between. `old` now owns the new descriptor and closes it.
            int reused = TestLibC.dup2(fresh.Fd, number);
            Assert.Equal(number, reused);
            Assert.Empty(EpollInterestList.Read(epoll)); // the old socket is closed: its registration went with it

            epoll.Add(reused, EpollEvents.In, 2);
            freshPeer.Write("x"u8);

            Assert.Equal(new EpollEvent(EpollEvents.In, 2), EpollAssert.Single(epoll));
            Assert.Equal([new EpollInterestList.Entry(number, (uint)(EpollEvents.In | EpollEvents.Err | EpollEvents.Hup), 2)],
                EpollInterestList.Read(epoll));
            Assert.True(epoll.Remove(reused));
        }
    }

    [Fact]
    public void Disposing_the_epoll_while_another_thread_waits_does_not_crash_and_the_wait_returns_once_woken()
    {
        var epoll = EpollHandle.Create();
        int epfd = (int)epoll.DangerousGetHandle();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 5);
        var events = new EpollEvent[4];
        var waiter = new EpollBlockedWaiter(() => epoll.Wait(events, -1));
        waiter.WaitUntilBlockedInKernel();

        epoll.Dispose();

        // The blocked wait holds a reference: the fd stays open (and its number unreused) until the wait returns.
        Assert.True(OpenDescriptors.IsOpen(epfd));
        Assert.False(waiter.HasReturned);
        // ...but the handle is disposed for everyone else, even while that reference keeps the fd open.
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(new EpollEvent[1], 0));
        Assert.Throws<ObjectDisposedException>(() => epoll.Add(wake.Handle, EpollEvents.In, 6));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryModify(wake.Handle, EpollEvents.In, 6));
        Assert.Throws<ObjectDisposedException>(() => epoll.Remove(wake.Handle));

        wake.Signal();

        Assert.Equal(1, waiter.Join());
        Assert.Equal(new EpollEvent(EpollEvents.In, 5), events[0]);
        Assert.False(OpenDescriptors.IsOpen(epfd)); // released by the waiter on its way out
    }

    [Fact]
    public void Disposing_the_epoll_while_another_thread_waits_into_a_buffer_and_disposing_the_buffer_too_is_safe()
    {
        var epoll = EpollHandle.Create();
        var buffer = new EpollBuffer(4);
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 6);
        var waiter = new EpollBlockedWaiter(() => epoll.Wait(buffer, Timeout.InfiniteTimeSpan));
        waiter.WaitUntilBlockedInKernel();

        epoll.Dispose();
        buffer.Dispose(); // the kernel still holds a pointer into it: freed only when the wait returns

        wake.Signal();

        Assert.Equal(1, waiter.Join());
        Assert.Throws<ObjectDisposedException>(() => buffer[0]);
    }

    [Fact]
    public void No_descriptor_leaks_over_2000_create_add_wait_dispose_cycles()
    {
        RunCycle(); // warm up: JIT, libc symbol lookups and the like may open something once
        int before = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();

        for (int i = 0; i < 2000; i++)
        {
            RunCycle();
        }

        EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);

        static void RunCycle()
        {
            using var epoll = EpollHandle.Create();
            var (a, b) = SocketPair.Create();
            using (a)
            using (b)
            {
                epoll.Add(a, EpollEvents.In, 1);
                epoll.Add(b, EpollEvents.Out, 2);
                b.Write("x"u8);
                Span<EpollEvent> events = stackalloc EpollEvent[4];
                Assert.Equal(2, epoll.Wait(events, EpollAssert.HangDetectorMilliseconds));
            }
        }
    }

    [Fact]
    public void No_descriptor_leaks_over_200_cycles_with_registered_tcp_sockets()
    {
        RunCycle();
        int before = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();

        for (int i = 0; i < 200; i++)
        {
            RunCycle();
        }

        EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);

        static void RunCycle()
        {
            using var epoll = EpollHandle.Create();
            using var tcp = EpollTcpPair.Connect();
            var (client, server) = tcp;
            epoll.Add(client.SafeHandle, EpollEvents.Out, 1);
            epoll.Add(server.SafeHandle, EpollEvents.Out, 2);
            Span<EpollEvent> events = stackalloc EpollEvent[4];
            Assert.Equal(2, epoll.Wait(events, EpollAssert.HangDetectorMilliseconds));
        }
    }

    [Fact]
    public void No_descriptor_leaks_over_2000_failed_adds_of_EEXIST_and_EPERM()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var epoll = EpollHandle.Create();
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            var (a, b) = SocketPair.Create();
            using (a)
            using (b)
            {
                epoll.Add(a, EpollEvents.In, 1);
                FailEveryWay();
                int before = EpollFdSnapshot.Baseline();
                Dictionary<int, string> snapshot = EpollFdSnapshot.Take();

                for (int i = 0; i < 2000; i++)
                {
                    FailEveryWay();
                }

                EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);
                Assert.Equal([a.Fd], EpollInterestList.Fds(epoll));
            }

            void FailEveryWay()
            {
                Assert.Equal(Errno.EEXIST, Assert.Throws<UnixException>(() => epoll.Add(a, EpollEvents.In, 1)).Errno);
                Assert.Equal(Errno.EPERM, Assert.Throws<UnixException>(() => epoll.Add(file, EpollEvents.In, 1)).Errno);
                Assert.Equal(Errno.EEXIST, epoll.TryAdd(a.Fd, EpollEvents.In, 1));
                Assert.Equal(Errno.EPERM, epoll.TryAdd(file, EpollEvents.In, 1));
                Assert.Equal(Errno.ENOENT, epoll.TryModify(b, EpollEvents.In, 1));
                Assert.Throws<ArgumentException>(() => epoll.Add(b, EpollEvents.In | EpollEvents.Exclusive | EpollEvents.OneShot, 1));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void No_descriptor_leaks_when_errors_are_thrown_between_create_and_dispose()
    {
        RunCycle();
        int before = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();

        for (int i = 0; i < 2000; i++)
        {
            RunCycle();
        }

        EpollFdSnapshot.AssertCountReturnsTo(before, snapshot);

        static void RunCycle()
        {
            var epoll = EpollHandle.Create();
            using (epoll)
            {
                using var wake = new EventFd();
                epoll.Add(wake.Handle, EpollEvents.In, 1);
                Assert.Throws<UnixException>(() => epoll.Add(wake.Handle, EpollEvents.In, 1));
                Assert.Throws<ArgumentOutOfRangeException>(() => epoll.Wait(new EpollEvent[1], -2));
            }

            Assert.Throws<ObjectDisposedException>(() => epoll.Wait(new EpollEvent[1], 0));
        }
    }
}
