using System.Net.Sockets;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Epoll;

/// <summary>What epoll_wait reports for real sockets, pipes and eventfds, and how the wait hands it back.</summary>
public class EpollReadinessTests
{
    [Fact]
    public void Socketpair_reports_In_only_after_data_arrives()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 42);
            EpollAssert.NoEvents(epoll);

            b.Write("x"u8);

            Assert.Equal(new EpollEvent(EpollEvents.In, 42), EpollAssert.Single(epoll));
        }
    }

    [Fact]
    public void Tcp_socket_reports_In_when_data_arrives()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(server.SafeHandle, EpollEvents.In, 7);
        EpollAssert.NoEvents(epoll);

        client.Send("hello"u8);

        Assert.Equal(new EpollEvent(EpollEvents.In, 7), EpollAssert.Single(epoll));
    }

    [Fact]
    public void Fresh_connected_tcp_socket_reports_Out()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(client.SafeHandle, EpollEvents.In | EpollEvents.Out, 3);

        Assert.Equal(new EpollEvent(EpollEvents.Out, 3), EpollAssert.Single(epoll));
    }

    [Fact]
    public void Fresh_socketpair_reports_Out_on_both_ends()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.Out, 1);
            epoll.Add(b, EpollEvents.Out, 2);

            EpollEvent[] events = EpollAssert.Wait(epoll, EpollAssert.HangDetectorMilliseconds);

            Assert.Equal([new EpollEvent(EpollEvents.Out, 1), new EpollEvent(EpollEvents.Out, 2)], events.OrderBy(e => e.Data));
        }
    }

    [Fact]
    public void Socketpair_reports_Hup_and_In_after_the_peer_closes()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        {
            epoll.Add(a, EpollEvents.In, 5);
            EpollAssert.NoEvents(epoll);

            b.Dispose();

            // Hup is reported although only In was asked for; In because a read now returns 0 (end of stream).
            Assert.Equal(new EpollEvent(EpollEvents.In | EpollEvents.Hup, 5), EpollAssert.Single(epoll));
            Assert.Equal(0, a.Read(new byte[1]));
        }
    }

    [Fact]
    public void Pipe_read_end_reports_Hup_after_the_write_end_closes()
    {
        using var epoll = EpollHandle.Create();
        var (read, write) = Pipe.Create();
        using (read)
        {
            epoll.Add(read, EpollEvents.In, 9);
            write.Dispose();

            Assert.Equal(new EpollEvent(EpollEvents.Hup, 9), EpollAssert.Single(epoll));
        }
    }

    [Fact]
    public void Pipe_write_end_reports_Err_after_the_read_end_closes()
    {
        using var epoll = EpollHandle.Create();
        var (read, write) = Pipe.Create();
        using (write)
        {
            epoll.Add(write, EpollEvents.Out, 10);
            read.Dispose();

            // Err is reported although not requested: a write would now fail with EPIPE.
            Assert.Equal(new EpollEvent(EpollEvents.Out | EpollEvents.Err, 10), EpollAssert.Single(epoll));
        }
    }

    [Fact]
    public void Tcp_peer_close_reports_In_and_RdHup_and_Hup_only_once_both_directions_are_shut()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(client.SafeHandle, EpollEvents.In | EpollEvents.RdHup, 1);

        server.Dispose(); // FIN: our receive side is shut, our send side still open (CLOSE_WAIT)

        EpollEvents halfClosed = EpollAssert.WaitFor(epoll, 1, EpollEvents.In | EpollEvents.RdHup);
        Assert.Equal(EpollEvents.In | EpollEvents.RdHup, halfClosed);

        client.Shutdown(SocketShutdown.Send);

        EpollEvents closed = EpollAssert.WaitFor(epoll, 1, EpollEvents.Hup);
        Assert.Equal(EpollEvents.In | EpollEvents.RdHup | EpollEvents.Hup, closed);
    }

    [Fact]
    public void Tcp_reports_RdHup_after_the_peer_shuts_down_sending()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(client.SafeHandle, EpollEvents.In | EpollEvents.RdHup, 2);
        EpollAssert.NoEvents(epoll);

        server.Shutdown(SocketShutdown.Send);

        EpollEvents seen = EpollAssert.WaitFor(epoll, 2, EpollEvents.RdHup);
        Assert.Equal(EpollEvents.In | EpollEvents.RdHup, seen); // half-closed: no Hup, no Err
        Assert.Equal(0, client.Receive(new byte[1]));
    }

    [Fact]
    public void Socketpair_reports_RdHup_after_the_peer_shuts_down_sending()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In | EpollEvents.RdHup, 4);
            Assert.Equal(0, TestLibC.shutdown(b.Fd, TestLibC.SHUT_WR));

            Assert.Equal(new EpollEvent(EpollEvents.In | EpollEvents.RdHup, 4), EpollAssert.Single(epoll));
        }
    }

    [Fact]
    public void Tcp_reset_reports_Err_and_Hup()
    {
        using var tcp = EpollTcpPair.Connect();
        var (client, server) = tcp;
        using var epoll = EpollHandle.Create();
        epoll.Add(client.SafeHandle, EpollEvents.In, 11);
        EpollAssert.NoEvents(epoll);

        server.LingerState = new LingerOption(true, 0); // close sends RST instead of FIN
        server.Dispose();

        EpollEvents seen = EpollAssert.WaitFor(epoll, 11, EpollEvents.Err | EpollEvents.Hup);
        Assert.True(seen.HasFlag(EpollEvents.Err | EpollEvents.Hup), seen.ToString());
        var error = Assert.Throws<SocketException>(() => client.Receive(new byte[1]));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
    }

    public static TheoryData<ulong> DataValues => new()
    {
        0UL,
        1UL,
        0xFFFF_FFFF_FFFF_FFFEUL,
        ulong.MaxValue,
        0x8000_0000_0000_0000UL,
        0x8000_0000_0000_0001UL,
        0xDEAD_BEEF_0000_0001UL,
        0x0000_0001_0000_0000UL,
        0xFFFF_FFFF_0000_0000UL,
    };

    [Theory]
    [MemberData(nameof(DataValues))]
    public void Data_round_trips_as_a_full_u64(ulong data)
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, data);
        wake.Signal();

        Assert.Equal(data, EpollAssert.Single(epoll).Data);

        using var buffer = new EpollBuffer(4);
        Assert.Equal(1, epoll.Wait(buffer, EpollAssert.HangDetectorMilliseconds));
        Assert.Equal(data, buffer[0].Data);
    }

    [Fact]
    public void Many_ready_fds_each_keep_their_own_u64_data_and_events()
    {
        // Several records in one wait: on x86-64 the packed 12-byte records are widened in place, so a slip in that
        // pass would mix up the high half of one record's data with the next record's events.
        ulong[] values = [0xFFFF_FFFF_FFFF_FFFEUL, 0x8000_0000_0000_0001UL, 0x0123_4567_89AB_CDEFUL, 0xFEDC_BA98_7654_3210UL, 5UL, ulong.MaxValue];
        using var epoll = EpollHandle.Create();
        var fds = new List<EventFd>();
        try
        {
            foreach (ulong value in values)
            {
                var fd = new EventFd();
                fds.Add(fd);
                epoll.Add(fd.Handle, EpollEvents.In | EpollEvents.Out, value);
                fd.Signal();
            }

            EpollEvent[] events = EpollAssert.Wait(epoll, EpollAssert.HangDetectorMilliseconds, capacity: 32);

            Assert.Equal(values.Order(), events.Select(e => e.Data).Order());
            Assert.All(events, e => Assert.Equal(EpollEvents.In | EpollEvents.Out, e.Events));
        }
        finally
        {
            fds.ForEach(fd => fd.Dispose());
        }
    }

    [Fact]
    public void Zero_timeout_still_reports_ready_fds()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 8);
        wake.Signal();
        Span<EpollEvent> events = stackalloc EpollEvent[4];

        Assert.Equal(1, epoll.Wait(events, 0));
        Assert.Equal(new EpollEvent(EpollEvents.In, 8), events[0]);

        events.Clear();
        Assert.Equal(1, epoll.Wait(events, TimeSpan.Zero));
        Assert.Equal(new EpollEvent(EpollEvents.In, 8), events[0]);

        using var buffer = new EpollBuffer(4);
        Assert.Equal(1, epoll.Wait(buffer, 0));
        Assert.Equal(new EpollEvent(EpollEvents.In, 8), buffer[0]);
    }

    [Fact]
    public void Zero_timeout_returns_zero_when_nothing_is_ready()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 8);
        Span<EpollEvent> events = stackalloc EpollEvent[4];

        Assert.Equal(0, epoll.Wait(events, 0));
        Assert.Equal(0, epoll.Wait(events, TimeSpan.Zero));
    }

    [Fact]
    public void Sub_millisecond_and_maximal_timeouts_return_ready_fds_at_once()
    {
        // 0.5 ms takes the epoll_pwait2 path, int.MaxValue ms is the largest accepted: both return as soon as an fd is ready.
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 12);
        wake.Signal();
        Span<EpollEvent> events = stackalloc EpollEvent[2];

        Assert.Equal(1, epoll.Wait(events, TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2)));
        Assert.Equal(12UL, events[0].Data);
        Assert.Equal(1, epoll.Wait(events, TimeSpan.FromMilliseconds(int.MaxValue)));
        Assert.Equal(1, epoll.Wait(events, int.MaxValue));
        Assert.Equal(1, epoll.Wait(events, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Blocked_infinite_wait_on_another_thread_is_woken_by_an_eventfd_signal()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 77);
        var events = new EpollEvent[4];
        var waiter = new EpollBlockedWaiter(() => epoll.Wait(events, -1));
        waiter.WaitUntilBlockedInKernel();

        wake.Signal();

        Assert.Equal(1, waiter.Join());
        Assert.Equal(new EpollEvent(EpollEvents.In, 77), events[0]);
        Assert.Equal(1UL, wake.Consume());
    }

    [Fact]
    public void Blocked_infinite_TimeSpan_wait_into_a_buffer_is_woken_by_an_eventfd_signal()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        using var buffer = new EpollBuffer(4);
        epoll.Add(wake.Handle, EpollEvents.In, 78);
        var waiter = new EpollBlockedWaiter(() => epoll.Wait(buffer, Timeout.InfiniteTimeSpan));
        waiter.WaitUntilBlockedInKernel();

        wake.Signal();

        Assert.Equal(1, waiter.Join());
        Assert.Equal(1, buffer.Count);
        Assert.Equal(new EpollEvent(EpollEvents.In, 78), buffer[0]);
    }

    [Fact]
    public void EpollBuffer_gives_the_same_events_as_the_Span_overload()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        var (read, write) = Pipe.Create();
        using var wake = new EventFd();
        using (a)
        using (b)
        using (read)
        using (write)
        {
            epoll.Add(a, EpollEvents.In | EpollEvents.Out, 0xA000_0000_0000_0001UL);
            epoll.Add(b, EpollEvents.In, 0xB000_0000_0000_0002UL);        // not readable: must not appear
            epoll.Add(read, EpollEvents.In, 0xC000_0000_0000_0003UL);
            epoll.Add(write, EpollEvents.Out, 0xD000_0000_0000_0004UL);
            epoll.Add(wake.Handle, EpollEvents.In, 0xE000_0000_0000_0005UL);
            b.Write("x"u8);
            write.Write("y"u8);
            wake.Signal();

            // Level-triggered: nothing is consumed, so both waits see the same ready set (the kernel may rotate the order).
            EpollEvent[] fromSpan = EpollAssert.Wait(epoll, EpollAssert.HangDetectorMilliseconds);
            using var buffer = new EpollBuffer(16);
            int ready = epoll.Wait(buffer, EpollAssert.HangDetectorMilliseconds);
            EpollEvent[] fromBuffer = Enumerable.Range(0, ready).Select(i => buffer[i]).ToArray();

            Assert.Equal(4, fromSpan.Length);
            Assert.Equal(ready, buffer.Count);
            Assert.Equal(fromSpan.OrderBy(e => e.Data), fromBuffer.OrderBy(e => e.Data));
            Assert.Contains(new EpollEvent(EpollEvents.In | EpollEvents.Out, 0xA000_0000_0000_0001UL), fromBuffer);
        }
    }

    [Fact]
    public void Wait_returns_at_most_span_length_events_and_writes_nothing_beyond()
    {
        using var epoll = EpollHandle.Create();
        var fds = new List<EventFd>();
        try
        {
            for (ulong i = 1; i <= 5; i++)
            {
                var fd = new EventFd();
                fds.Add(fd);
                epoll.Add(fd.Handle, EpollEvents.In, i);
                fd.Signal();
            }

            var events = new EpollEvent[8];
            var sentinel = new EpollEvent(EpollEvents.Msg, 0x5E47_1E15_5E47_1E15UL);
            events.AsSpan().Fill(sentinel);

            Assert.Equal(2, epoll.Wait(events.AsSpan(0, 2), EpollAssert.HangDetectorMilliseconds));
            Assert.All(events[..2], e => Assert.Equal(EpollEvents.In, e.Events));
            Assert.All(events[2..], e => Assert.Equal(sentinel, e));

            // The kernel moves reported level-triggered fds to the back of its ready list: three waits of two see all five.
            var seen = new HashSet<ulong>(events[..2].Select(e => e.Data));
            for (int round = 0; round < 2; round++)
            {
                Assert.Equal(2, epoll.Wait(events.AsSpan(0, 2), 0));
                seen.UnionWith(events[..2].Select(e => e.Data));
            }

            Assert.Equal([1UL, 2UL, 3UL, 4UL, 5UL], seen.Order());
        }
        finally
        {
            fds.ForEach(fd => fd.Dispose());
        }
    }

    [Fact]
    public void Wait_into_a_buffer_returns_at_most_its_capacity()
    {
        using var epoll = EpollHandle.Create();
        var fds = new List<EventFd>();
        try
        {
            for (ulong i = 1; i <= 5; i++)
            {
                var fd = new EventFd();
                fds.Add(fd);
                epoll.Add(fd.Handle, EpollEvents.In, i);
                fd.Signal();
            }

            using var buffer = new EpollBuffer(3);
            Assert.Equal(3, epoll.Wait(buffer, EpollAssert.HangDetectorMilliseconds));
            Assert.Equal(3, buffer.Count);
            Assert.Throws<ArgumentOutOfRangeException>(() => buffer[3]);
        }
        finally
        {
            fds.ForEach(fd => fd.Dispose());
        }
    }
}
