using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Differential;

/// <summary>
/// The same descriptors in mixed states, waited on with zero timeout by EpollHandle, PollSet and Select: the
/// readable and writable sets must agree with each other and with what the states imply.
/// </summary>
/// <remarks>
/// "Readable" and "writable" use select's own definitions from fs/select.c (POLLIN_SET = In|RdNorm|RdBand|Hup|Err,
/// POLLOUT_SET = Out|WrNorm|WrBand|Err), so the poll and epoll event masks are compared on select's terms.
/// </remarks>
public class ThreeWrappersAgreeTests
{
    private const EpollEvents EpollReadable = EpollEvents.In | EpollEvents.RdNorm | EpollEvents.RdBand | EpollEvents.Hup | EpollEvents.Err;
    private const EpollEvents EpollWritable = EpollEvents.Out | EpollEvents.WrNorm | EpollEvents.WrBand | EpollEvents.Err;
    private const PollEvents PollReadable = PollEvents.In | PollEvents.RdNorm | PollEvents.RdBand | PollEvents.Hup | PollEvents.Err;
    private const PollEvents PollWritable = PollEvents.Out | PollEvents.WrNorm | PollEvents.WrBand | PollEvents.Err;

    [Fact]
    public void Epoll_poll_and_select_report_the_same_readable_and_writable_fds()
    {
        using var fixture = new MixedReadinessFixture();
        int[] watched = fixture.Watched;

        var (epollReadable, epollWritable) = ViaEpoll(watched);
        var (pollReadable, pollWritable) = ViaPoll(watched);
        var (selectReadable, selectWritable) = ViaSelect(watched);

        var expectedReadable = fixture.ExpectedReadable.Order().ToArray();
        var expectedWritable = fixture.ExpectedWritable.Order().ToArray();
        Assert.Equal(expectedReadable, selectReadable);
        Assert.Equal(expectedWritable, selectWritable);
        Assert.Equal(selectReadable, pollReadable);
        Assert.Equal(selectWritable, pollWritable);
        Assert.Equal(selectReadable, epollReadable);
        Assert.Equal(selectWritable, epollWritable);
    }

    [Fact]
    public void Epoll_and_poll_report_the_same_event_bits_for_every_fd()
    {
        using var fixture = new MixedReadinessFixture();
        int[] watched = fixture.Watched;

        using var epoll = EpollHandle.Create();
        using var set = new PollSet();
        foreach (int fd in watched)
        {
            epoll.Add(fd, EpollEvents.In | EpollEvents.Out | EpollEvents.RdHup, (ulong)fd);
            set.Add(fd, PollEvents.In | PollEvents.Out | PollEvents.RdHup);
        }

        Span<EpollEvent> events = stackalloc EpollEvent[watched.Length];
        int ready = epoll.Wait(events, 0);
        Assert.Equal(ready, set.Wait(0));
        var fromEpoll = events[..ready].ToArray().ToDictionary(e => (int)e.Data, e => (uint)e.Events);
        var fromPoll = set.Entries.ToArray().Where(e => e.ReturnedEvents != PollEvents.None)
            .ToDictionary(e => e.Fd, e => (uint)(ushort)e.ReturnedEvents);

        // The kernel computes both from the same ->poll() mask; the bit values are shared (checked by the layout probe).
        Assert.Equal(fromPoll.OrderBy(p => p.Key), fromEpoll.OrderBy(p => p.Key));
    }

    private static (int[] Readable, int[] Writable) ViaEpoll(int[] watched)
    {
        using var epoll = EpollHandle.Create();
        foreach (int fd in watched)
        {
            epoll.Add(fd, EpollEvents.In | EpollEvents.Out, (ulong)fd);
        }

        Span<EpollEvent> events = stackalloc EpollEvent[watched.Length + 1];
        int ready = epoll.Wait(events, 0);
        var readable = new List<int>();
        var writable = new List<int>();
        foreach (EpollEvent e in events[..ready])
        {
            if ((e.Events & EpollReadable) != 0)
            {
                readable.Add((int)e.Data);
            }

            if ((e.Events & EpollWritable) != 0)
            {
                writable.Add((int)e.Data);
            }
        }

        return (readable.Order().ToArray(), writable.Order().ToArray());
    }

    private static (int[] Readable, int[] Writable) ViaPoll(int[] watched)
    {
        using var set = new PollSet();
        foreach (int fd in watched)
        {
            set.Add(fd, PollEvents.In | PollEvents.Out);
        }

        set.Wait(0);
        var readable = new List<int>();
        var writable = new List<int>();
        foreach (PollFd entry in set.Entries)
        {
            if ((entry.ReturnedEvents & PollReadable) != 0)
            {
                readable.Add(entry.Fd);
            }

            if ((entry.ReturnedEvents & PollWritable) != 0)
            {
                writable.Add(entry.Fd);
            }
        }

        return (readable.Order().ToArray(), writable.Order().ToArray());
    }

    private static (int[] Readable, int[] Writable) ViaSelect(int[] watched)
    {
        var read = new FdSet();
        var write = new FdSet();
        var except = new FdSet();
        foreach (int fd in watched)
        {
            read.Set(fd);
            write.Set(fd);
        }

        int ready = LinuxIoMux.Select.Wait(ref read, ref write, ref except, TimeSpan.Zero);
        int[] readable = watched.Where(read.IsSet).Order().ToArray();
        int[] writable = watched.Where(write.IsSet).Order().ToArray();
        Assert.Equal(readable.Length + writable.Length, ready);
        return (readable, writable);
    }
}
