using System.Diagnostics;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Poll;

public class PollSetTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(20);

    private static PollFd EntryFor(PollSet set, int fd)
    {
        foreach (PollFd entry in set.Entries)
        {
            if (entry.Fd == fd)
            {
                return entry;
            }
        }

        throw new Xunit.Sdk.XunitException($"fd {fd} is not in Entries");
    }

    [Fact]
    public void Add_Modify_Remove_keep_Count_Contains_and_Entries()
    {
        using var set = new PollSet();
        Assert.Equal(0, set.Count);
        Assert.True(set.Entries.IsEmpty);

        set.Add(10, PollEvents.In);
        set.Add(11, PollEvents.Out);
        Assert.Equal(2, set.Count);
        Assert.True(set.Contains(10));
        Assert.True(set.Contains(11));
        Assert.False(set.Contains(12));
        Assert.Equal(PollEvents.In, EntryFor(set, 10).Events);
        Assert.Equal(PollEvents.None, EntryFor(set, 10).ReturnedEvents);

        set.Modify(10, PollEvents.In | PollEvents.RdHup);
        Assert.Equal(PollEvents.In | PollEvents.RdHup, EntryFor(set, 10).Events);
        Assert.Equal(PollEvents.Out, EntryFor(set, 11).Events);

        set.Remove(10);
        Assert.Equal(1, set.Count);
        Assert.False(set.Contains(10));
        Assert.Equal(11, Assert.Single(set.Entries.ToArray()).Fd);

        set.Add(10, PollEvents.Pri); // a removed fd can come back
        Assert.Equal(2, set.Count);
        Assert.Equal(PollEvents.Pri, EntryFor(set, 10).Events);
    }

    [Fact]
    public void SafeHandle_overloads_use_the_descriptor_number()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var set = new PollSet();
            set.Add(a, PollEvents.In);
            Assert.True(set.Contains(a.Fd));
            set.Modify(a, PollEvents.Out);
            Assert.Equal(PollEvents.Out, EntryFor(set, a.Fd).Events);
            set.Remove(a);
            Assert.False(set.Contains(a.Fd));
        }
    }

    [Fact]
    public void Remove_of_a_closed_SafeHandle_removes_its_entry()
    {
        var (a, b) = SocketPair.Create();
        using (b)
        {
            using var set = new PollSet();
            set.Add(a, PollEvents.In);
            int number = a.Fd;
            a.Dispose();
            set.Remove(a);
            Assert.False(set.Contains(number));
            Assert.Equal(0, set.Count);
        }
    }

    [Fact]
    public void Random_adds_and_removes_keep_the_fd_to_index_map_right()
    {
        var random = new Random(20261123);
        var model = new Dictionary<int, PollEvents>();
        PollEvents[] choices = { PollEvents.In, PollEvents.Out, PollEvents.In | PollEvents.Out, PollEvents.Pri, PollEvents.RdHup };
        using var set = new PollSet(initialCapacity: 4);
        for (int step = 0; step < 5000; step++)
        {
            int fd = random.Next(0, 150);
            PollEvents events = choices[random.Next(choices.Length)];
            switch (random.Next(3))
            {
                case 0:
                    Assert.Equal(model.TryAdd(fd, events) ? Errno.None : Errno.EEXIST, set.TryAdd(fd, events));
                    break;
                case 1:
                    Assert.Equal(model.Remove(fd) ? Errno.None : Errno.ENOENT, set.TryRemove(fd));
                    break;
                default:
                    bool present = model.ContainsKey(fd);
                    if (present)
                    {
                        model[fd] = events;
                    }

                    Assert.Equal(present ? Errno.None : Errno.ENOENT, set.TryModify(fd, events));
                    break;
            }

            Assert.Equal(model.Count, set.Count);
            Assert.Equal(model.ContainsKey(fd), set.Contains(fd));
            if (step % 97 == 0)
            {
                AssertMatchesModel(set, model);
            }
        }

        AssertMatchesModel(set, model);
        foreach (int fd in model.Keys.ToList())
        {
            set.Remove(fd);
            model.Remove(fd);
            AssertMatchesModel(set, model);
        }
    }

    private static void AssertMatchesModel(PollSet set, Dictionary<int, PollEvents> model)
    {
        var entries = set.Entries.ToArray();
        Assert.Equal(model.Count, entries.Length);
        Assert.Equal(entries.Length, entries.Select(entry => entry.Fd).Distinct().Count());
        foreach (PollFd entry in entries)
        {
            Assert.True(model.TryGetValue(entry.Fd, out PollEvents expected), $"fd {entry.Fd} is in Entries but was removed");
            Assert.Equal(expected, entry.Events);
        }

        // Each model fd must be found by Modify (through the map) at the entry that holds it.
        foreach ((int fd, PollEvents events) in model)
        {
            Assert.Equal(Errno.None, set.TryModify(fd, events));
            Assert.Equal(events, EntryFor(set, fd).Events);
        }
    }

    [Fact]
    public void The_set_grows_beyond_its_initial_capacity_and_the_kernel_sees_every_entry()
    {
        const int pairs = 40;
        var sockets = Enumerable.Range(0, pairs).Select(_ => SocketPair.Create()).ToList();
        try
        {
            using var set = new PollSet(initialCapacity: 1);
            foreach (var (first, _) in sockets)
            {
                set.Add(first, PollEvents.In);
            }

            Assert.Equal(pairs, set.Count);
            var readable = new HashSet<int>();
            for (int i = 0; i < pairs; i += 3)
            {
                sockets[i].Second.Write("x"u8);
                readable.Add(sockets[i].First.Fd);
            }

            Assert.Equal(readable.Count, set.Wait(0));
            foreach (PollFd entry in set.Entries)
            {
                Assert.Equal(readable.Contains(entry.Fd) ? PollEvents.In : PollEvents.None, entry.ReturnedEvents);
            }
        }
        finally
        {
            foreach (var (first, second) in sockets)
            {
                first.Dispose();
                second.Dispose();
            }
        }
    }

    [Fact]
    public void Socketpair_reports_Out_when_idle_In_when_written_and_Hup_when_the_peer_closes()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var set = new PollSet();
            set.Add(a, PollEvents.In | PollEvents.Out);

            Assert.Equal(1, set.Wait(0));
            Assert.Equal(PollEvents.Out, set.Entries[0].ReturnedEvents);

            set.Modify(a, PollEvents.In);
            Assert.Equal(0, set.Wait(0));
            Assert.Equal(PollEvents.None, set.Entries[0].ReturnedEvents);

            b.Write("hello"u8);
            Assert.Equal(1, set.Wait(0));
            Assert.Equal(PollEvents.In, set.Entries[0].ReturnedEvents);

            b.Dispose();
            Assert.Equal(1, set.Wait(0));
            Assert.True(set.Entries[0].ReturnedEvents.HasFlag(PollEvents.Hup), set.Entries[0].ToString());
            Assert.True(set.Entries[0].ReturnedEvents.HasFlag(PollEvents.In), set.Entries[0].ToString());
        }
    }

    [Fact]
    public void Loopback_tcp_reports_In_then_RdHup_then_Hup()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        {
            using var set = new PollSet();
            set.Add(server.SafeHandle, PollEvents.In | PollEvents.RdHup);
            Assert.Equal(0, set.Wait(0));

            client.Send("ping"u8);
            Assert.Equal(1, set.Wait((int)HangDetector.TotalMilliseconds));
            Assert.Equal(PollEvents.In, set.Entries[0].ReturnedEvents);
            Span<byte> received = stackalloc byte[4];
            Assert.Equal(4, server.Receive(received));

            client.Shutdown(SocketShutdown.Send);
            Assert.Equal(1, set.Wait((int)HangDetector.TotalMilliseconds));
            Assert.Equal(PollEvents.In | PollEvents.RdHup, set.Entries[0].ReturnedEvents);

            // Both directions shut: the kernel now says hang-up.
            server.Shutdown(SocketShutdown.Send);
            Assert.Equal(1, set.Wait(0));
            Assert.True(set.Entries[0].ReturnedEvents.HasFlag(PollEvents.Hup), set.Entries[0].ToString());
        }
    }

    [Fact]
    public void Loopback_tcp_is_writable()
    {
        var (client, server) = Loopback.TcpPair();
        using (client)
        using (server)
        {
            using var set = new PollSet();
            set.Add(client.SafeHandle, PollEvents.Out);
            Assert.Equal(1, set.Wait(0));
            Assert.Equal(PollEvents.Out, set.Entries[0].ReturnedEvents);
        }
    }

    [Fact]
    public void A_full_socketpair_is_not_writable()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            SocketFill.UntilFull(a);
            using var set = new PollSet();
            set.Add(a, PollEvents.Out);
            Assert.Equal(0, set.Wait(0));
            Assert.Equal(PollEvents.None, set.Entries[0].ReturnedEvents);
        }
    }

    [Fact]
    public void A_closed_fd_in_the_set_is_reported_as_Nval_not_thrown()
    {
        var (a, b) = SocketPair.Create();
        var (c, d) = SocketPair.Create();
        using (a)
        using (b)
        using (c)
        using (d)
        {
            using var set = new PollSet();
            set.Add(a.Fd, PollEvents.In);
            set.Add(c, PollEvents.In);
            int closed = a.Fd;
            a.Dispose();
            d.Write("x"u8);

            Assert.Equal(2, set.Wait(0));
            Assert.Equal(PollEvents.Nval, EntryFor(set, closed).ReturnedEvents);
            Assert.Equal(PollEvents.In, EntryFor(set, c.Fd).ReturnedEvents);
        }
    }

    [Fact]
    public void Duplicate_Add_throws_EEXIST_naming_PollSet_Add()
    {
        using var set = new PollSet();
        set.Add(7, PollEvents.In);
        var error = Assert.Throws<UnixException>(() => set.Add(7, PollEvents.Out));
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Contains("PollSet.Add(fd=7)", error.Message);
        Assert.Contains("EEXIST", error.Message);
        Assert.Equal(PollEvents.In, EntryFor(set, 7).Events); // the failed Add changed nothing
        Assert.Equal(1, set.Count);
    }

    [Fact]
    public void Duplicate_Add_of_a_SafeHandle_names_its_number()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var set = new PollSet();
            set.Add(a, PollEvents.In);
            var error = Assert.Throws<UnixException>(() => set.Add(a, PollEvents.In));
            Assert.Equal(Errno.EEXIST, error.Errno);
            Assert.Contains($"PollSet.Add(fd={a.Fd})", error.Message);
        }
    }

    [Fact]
    public void Modify_of_an_absent_fd_throws_ENOENT_and_Remove_returns_false()
    {
        using var set = new PollSet();
        set.Add(3, PollEvents.In);
        var modify = Assert.Throws<UnixException>(() => set.Modify(8, PollEvents.In));
        Assert.Equal(Errno.ENOENT, modify.Errno);
        Assert.Contains("PollSet.Modify(fd=8)", modify.Message);
        Assert.False(set.Remove(9)); // the one Remove contract: false when nothing was removed
        Assert.Equal(Errno.ENOENT, set.TryRemove(9));
        Assert.Equal(1, set.Count);
        Assert.True(set.Remove(3));
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Negative_fds_are_rejected_before_anything_changes()
    {
        using var set = new PollSet();
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(-1, PollEvents.In));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.TryAdd(-5, PollEvents.In));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Modify(-1, PollEvents.In));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Remove(-1));
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Bad_constructor_capacity_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PollSet(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PollSet(-3));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-1000)]
    [InlineData(int.MinValue)]
    public void Millisecond_timeouts_below_minus_one_throw(int timeout)
    {
        using var set = new PollSet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => set.Wait(timeout));
        Assert.Equal("timeoutMilliseconds", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(InvalidTimeouts.TimeSpans), MemberType = typeof(InvalidTimeouts))]
    public void Bad_TimeSpans_throw(TimeSpan timeout)
    {
        using var set = new PollSet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => set.Wait(timeout));
        Assert.Equal("timeout", error.ParamName);
    }

    [Fact]
    public void A_sub_millisecond_TimeSpan_waits_at_least_that_long_and_sees_ready_fds()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            using var set = new PollSet();
            set.Add(a, PollEvents.In);
            TimeSpan half = TimeSpan.FromMicroseconds(500);

            long start = Stopwatch.GetTimestamp();
            Assert.Equal(0, set.Wait(half));
            Assert.True(Stopwatch.GetElapsedTime(start) >= half, "a 0.5 ms wait must not return early (or become a zero-timeout poll)");

            b.Write("x"u8);
            Assert.Equal(1, set.Wait(half));
            Assert.Equal(PollEvents.In, set.Entries[0].ReturnedEvents);
        }
    }

    [Fact]
    public void A_whole_millisecond_wait_lasts_at_least_its_timeout()
    {
        using var set = new PollSet();
        long start = Stopwatch.GetTimestamp();
        Assert.Equal(0, set.Wait(30));
        Assert.True(Stopwatch.GetElapsedTime(start) >= TimeSpan.FromMilliseconds(30));
    }

    [Fact]
    public void Everything_throws_ObjectDisposedException_after_Dispose()
    {
        var set = new PollSet();
        set.Add(5, PollEvents.In);
        set.Dispose();
        Assert.Throws<ObjectDisposedException>(() => set.Add(6, PollEvents.In));
        Assert.Throws<ObjectDisposedException>(() => set.TryAdd(6, PollEvents.In));
        Assert.Throws<ObjectDisposedException>(() => set.Modify(5, PollEvents.Out));
        Assert.Throws<ObjectDisposedException>(() => set.Remove(5));
        Assert.Throws<ObjectDisposedException>(() => set.Wait(0));
        Assert.Throws<ObjectDisposedException>(() => set.Wait(TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => set.Entries.Length);
        set.Dispose(); // twice is fine
    }

    [Fact]
    public void Add_of_a_disposed_SafeHandle_throws_ObjectDisposedException()
    {
        var (a, b) = SocketPair.Create();
        using (b)
        {
            a.Dispose();
            using var set = new PollSet();
            Assert.Throws<ObjectDisposedException>(() => set.Add(a, PollEvents.In));
            Assert.Equal(0, set.Count);
        }
    }

    [Fact]
    public void A_blocked_infinite_Wait_is_woken_by_an_EventFd_signalled_from_another_thread()
    {
        using var wake = new EventFd();
        using var set = new PollSet();
        set.Add(wake.Handle, PollEvents.In);
        using var entered = new ManualResetEventSlim();
        int result = -1;
        var waiter = new Thread(() =>
        {
            entered.Set();
            result = set.Wait(-1);
        }) { IsBackground = true };
        waiter.Start();
        Assert.True(entered.Wait(HangDetector));
        Thread.Sleep(50); // let it block in poll; the test holds either way
        Assert.True(waiter.IsAlive, "the infinite wait returned before anything was signalled");

        wake.Signal();
        Assert.True(waiter.Join(HangDetector), "the eventfd did not wake poll");
        Assert.Equal(1, result);
        Assert.Equal(PollEvents.In, set.Entries[0].ReturnedEvents);
        Assert.Equal(1UL, wake.Consume());
    }

    /// <summary>docs/poll.md: a pipe's end of stream is POLLHUP without POLLIN (a socket's is POLLIN | POLLRDHUP).</summary>
    [Fact]
    public void Pipe_read_end_reports_Hup_without_In_after_the_write_end_closes()
    {
        using var set = new PollSet();
        var (read, write) = Pipe.Create();
        using (read)
        {
            set.Add(read, PollEvents.In);
            write.Dispose();

            Assert.Equal(1, set.Wait(0));
            Assert.Equal(PollEvents.Hup, set.Entries[0].ReturnedEvents);
            Assert.Equal(0, read.Read(new byte[1])); // and the read that follows is the end of stream
        }
    }
}
