using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIoMux.Tests.Util;
using Mono.Unix.Native;
using Tmds.Linux;
using MonoSyscall = Mono.Unix.Native.Syscall;
using OurLibC = LinuxIoMux.Interop.LibC;
using TmdsLibC = Tmds.Linux.LibC;

namespace LinuxIoMux.Tests.Oracles;

/// <summary>
/// Tmds.LibC and Mono.Posix bind the same calls independently: where they are right they must agree with us, and
/// where they are wrong these tests document why the library does not use them (each assertion was measured on
/// x86-64 Linux first; the architecture-dependent ones say so).
/// </summary>
public unsafe class OracleTests
{
    private static bool IsX64 => RuntimeInformation.ProcessArchitecture == Architecture.X64;

    // ---- Struct sizes -------------------------------------------------------------------------------------------

    [Fact]
    public void Tmds_pollfd_has_the_native_layout_that_PollFd_has()
    {
        Assert.Equal((int)NativeLayoutProbe.Value("sizeof(struct pollfd)"), Marshal.SizeOf<pollfd>());
        Assert.Equal(Unsafe.SizeOf<PollFd>(), Unsafe.SizeOf<pollfd>());
        Assert.Equal((int)NativeLayoutProbe.Value("offsetof(struct pollfd,revents)"), (int)Marshal.OffsetOf<pollfd>("<revents>k__BackingField"));
    }

    [SkippableFact]
    public void Tmds_epoll_event_has_the_native_layout_on_x86_64()
    {
        // Measured: [StructLayout(Explicit, Pack = 4)], 12 bytes, data at 4: the x86-64 record.
        Skip.IfNot(IsX64, "Tmds.LibC's epoll_event is checked against the x86-64 layout only");
        Assert.Equal(EpollAbi.NativeStride, Unsafe.SizeOf<epoll_event>());
        Assert.Equal((int)NativeLayoutProbe.Value("sizeof(struct epoll_event)"), Marshal.SizeOf<epoll_event>());
        Assert.Equal((int)NativeLayoutProbe.Value("offsetof(struct epoll_event,data)"), (int)Marshal.OffsetOf<epoll_event>(nameof(epoll_event.data)));
    }

    [Fact]
    public void Mono_Pollfd_has_the_native_size()
    {
        Assert.Equal((int)NativeLayoutProbe.Value("sizeof(struct pollfd)"), Marshal.SizeOf<Pollfd>());
        Assert.Equal(Unsafe.SizeOf<PollFd>(), Unsafe.SizeOf<Pollfd>());
    }

    [Fact]
    public void Mono_EpollEvent_is_declared_12_bytes_packed_on_every_architecture()
    {
        // Measured by reflection: [StructLayout(Explicit, Pack = 1, Size = 12)] with the data union at offset 4.
        // That is the x86-64 layout, fixed in metadata: on arm64 the kernel writes 16-byte records with data at 8,
        // so Mono.Posix's epoll_wait would read garbage there. Our EpollAbi picks the stride per process.
        StructLayoutAttribute layout = typeof(Mono.Unix.Native.EpollEvent).StructLayoutAttribute!;
        Assert.Equal(LayoutKind.Explicit, layout.Value);
        Assert.Equal(12, layout.Size);
        Assert.Equal(1, layout.Pack);
        Assert.Equal(4, (int)Marshal.OffsetOf<Mono.Unix.Native.EpollEvent>(nameof(Mono.Unix.Native.EpollEvent.u64)));
        Assert.Equal(12, Marshal.SizeOf<Mono.Unix.Native.EpollEvent>());

        ulong native = NativeLayoutProbe.Value("sizeof(struct epoll_event)");
        if (native == 12)
        {
            Assert.Equal((int)native, Marshal.SizeOf<Mono.Unix.Native.EpollEvent>()); // right by luck of the architecture
        }
        else
        {
            Assert.NotEqual((int)native, Marshal.SizeOf<Mono.Unix.Native.EpollEvent>());
        }
    }

    // ---- Same wait, same answer -----------------------------------------------------------------------------------

    private const EpollEvents Interest = EpollEvents.In | EpollEvents.Out | EpollEvents.RdHup;

    private static Dictionary<int, uint> OurEpoll(int[] fds)
    {
        using var epoll = EpollHandle.Create();
        foreach (int fd in fds)
        {
            epoll.Add(fd, Interest, (ulong)fd);
        }

        Span<LinuxIoMux.EpollEvent> events = stackalloc LinuxIoMux.EpollEvent[fds.Length + 1];
        int ready = epoll.Wait(events, 0);
        return events[..ready].ToArray().ToDictionary(e => (int)e.Data, e => (uint)e.Events);
    }

    [Fact]
    public void Tmds_epoll_wait_reports_what_EpollHandle_reports()
    {
        using var fixture = new MixedReadinessFixture();
        int[] fds = fixture.Watched;
        Dictionary<int, uint> ours = OurEpoll(fds);

        int epfd = TmdsLibC.epoll_create1(TmdsLibC.EPOLL_CLOEXEC);
        Assert.True(epfd >= 0);
        try
        {
            foreach (int fd in fds)
            {
                epoll_event registration = default;
                registration.events = (int)Interest;
                registration.data.fd = fd;
                Assert.Equal(0, TmdsLibC.epoll_ctl(epfd, TmdsLibC.EPOLL_CTL_ADD, fd, &registration));
            }

            var events = new epoll_event[fds.Length + 1];
            int ready;
            fixed (epoll_event* first = events)
            {
                ready = TmdsLibC.epoll_wait(epfd, first, events.Length, 0);
            }

            var theirs = events.Take(ready).ToDictionary(e => e.data.fd, e => (uint)e.events);
            Assert.NotEmpty(theirs);
            Assert.Equal(theirs.OrderBy(p => p.Key), ours.OrderBy(p => p.Key));
        }
        finally
        {
            TestLibC.close(epfd);
        }
    }

    [SkippableFact]
    public void Mono_epoll_wait_reports_what_EpollHandle_reports_on_x86_64()
    {
        Skip.IfNot(IsX64, "Mono.Posix's 12-byte EpollEvent only matches the kernel on x86");
        using var fixture = new MixedReadinessFixture();
        int[] fds = fixture.Watched;
        Dictionary<int, uint> ours = OurEpoll(fds);

        int epfd = MonoSyscall.epoll_create(fds.Length); // the size hint overload; see the EPOLL_CLOEXEC test for why
        Assert.True(epfd >= 0);
        try
        {
            foreach (int fd in fds)
            {
                // This overload stores the fd itself as the event data.
                Assert.Equal(0, MonoSyscall.epoll_ctl(epfd, EpollOp.EPOLL_CTL_ADD, fd, (Mono.Unix.Native.EpollEvents)(uint)Interest));
            }

            var events = new Mono.Unix.Native.EpollEvent[fds.Length + 1];
            int ready = MonoSyscall.epoll_wait(epfd, events, events.Length, 0);
            var theirs = events.Take(ready).ToDictionary(e => e.fd, e => (uint)e.events);
            Assert.NotEmpty(theirs);
            Assert.Equal(theirs.OrderBy(p => p.Key), ours.OrderBy(p => p.Key));
        }
        finally
        {
            TestLibC.close(epfd);
        }
    }

    private const PollEvents PollInterest = PollEvents.In | PollEvents.Out | PollEvents.RdHup;

    private static Dictionary<int, ushort> OurPoll(int[] fds, PollEvents interest)
    {
        using var set = new PollSet();
        foreach (int fd in fds)
        {
            set.Add(fd, interest);
        }

        set.Wait(0);
        return set.Entries.ToArray().ToDictionary(e => e.Fd, e => (ushort)e.ReturnedEvents);
    }

    [Fact]
    public void Tmds_and_Mono_poll_report_what_PollSet_reports()
    {
        using var fixture = new MixedReadinessFixture();
        int[] fds = fixture.Watched;
        Dictionary<int, ushort> ours = OurPoll(fds, PollInterest);
        Assert.Contains(ours.Values, revents => revents != 0);

        var tmds = new pollfd[fds.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            tmds[i].fd = fds[i];
            tmds[i].events = (short)PollInterest;
        }

        int tmdsReady;
        fixed (pollfd* first = tmds)
        {
            tmdsReady = TmdsLibC.poll(first, (ulong_t)(ulong)tmds.Length, 0);
        }

        Assert.Equal(ours.Values.Count(revents => revents != 0), tmdsReady);
        Assert.Equal(ours.OrderBy(p => p.Key), tmds.ToDictionary(p => p.fd, p => (ushort)p.revents).OrderBy(p => p.Key));

        // Mono.Posix has no POLLRDHUP (see the next test), so it is compared on the bits it knows.
        const PollEvents monoInterest = PollEvents.In | PollEvents.Out;
        Dictionary<int, ushort> oursWithoutRdHup = OurPoll(fds, monoInterest);
        var mono = new Pollfd[fds.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            mono[i].fd = fds[i];
            mono[i].events = (Mono.Unix.Native.PollEvents)(short)monoInterest;
        }

        int monoReady = MonoSyscall.poll(mono, (uint)mono.Length, 0);
        Assert.Equal(oursWithoutRdHup.Values.Count(revents => revents != 0), monoReady);
        Assert.Equal(oursWithoutRdHup.OrderBy(p => p.Key), mono.ToDictionary(p => p.fd, p => (ushort)p.revents).OrderBy(p => p.Key));
    }

    [Fact]
    public void Mono_poll_silently_drops_POLLRDHUP()
    {
        // Measured: Mono.Posix translates PollEvents to and from native values through its own table, which has no
        // POLLRDHUP; the bit is dropped without an error, so a peer's shutdown(SHUT_WR) cannot be told from data.
        Assert.DoesNotContain("POLLRDHUP", Enum.GetNames<Mono.Unix.Native.PollEvents>());

        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            b.Dispose();
            Dictionary<int, ushort> ours = OurPoll(new[] { a.Fd }, PollEvents.In | PollEvents.RdHup);
            Assert.True(((PollEvents)ours[a.Fd]).HasFlag(PollEvents.RdHup));

            var mono = new[] { new Pollfd { fd = a.Fd, events = (Mono.Unix.Native.PollEvents)(short)(PollEvents.In | PollEvents.RdHup) } };
            Assert.Equal(1, MonoSyscall.poll(mono, 1, 0));
            Assert.True(((PollEvents)(short)mono[0].revents).HasFlag(PollEvents.In));
            Assert.False(((PollEvents)(short)mono[0].revents).HasFlag(PollEvents.RdHup));
        }
    }

    // ---- Why they are not on our hot path -------------------------------------------------------------------------

    [Fact]
    public void Mono_EPOLL_CLOEXEC_is_the_octal_value_written_in_decimal_and_epoll_create1_rejects_it()
    {
        ulong real = NativeLayoutProbe.Value("EPOLL_CLOEXEC");
        Assert.Equal((ulong)OurLibC.EPOLL_CLOEXEC, real);
        Assert.Equal(real, (ulong)TmdsLibC.EPOLL_CLOEXEC);

        int mono = (int)EpollFlags.EPOLL_CLOEXEC;
        Assert.NotEqual(real, (ulong)mono);
        Assert.Equal(2_000_000, mono);
        Assert.Equal(Convert.ToString((long)real, 8), mono.ToString()); // the header's 02000000, read as decimal

        int epfd = MonoSyscall.epoll_create(EpollFlags.EPOLL_CLOEXEC);
        Mono.Unix.Native.Errno errno = Stdlib.GetLastError();
        if (epfd >= 0)
        {
            TestLibC.close(epfd);
        }

        Assert.Equal(-1, epfd);
        Assert.Equal(Mono.Unix.Native.Errno.EINVAL, errno);
    }

    [Fact]
    public void Mono_poll_allocates_on_every_call_and_PollSet_does_not()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            const int calls = 1000;
            var mono = new Pollfd[] { new() { fd = a.Fd, events = Mono.Unix.Native.PollEvents.POLLOUT } };
            using var set = new PollSet();
            set.Add(a, PollEvents.Out);
            for (int i = 0; i < 100; i++)
            {
                MonoSyscall.poll(mono, 1, 0);
                set.Wait(0);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                Assert.Equal(1, MonoSyscall.poll(mono, 1, 0));
            }

            long monoBytes = GC.GetAllocatedBytesForCurrentThread() - before;

            before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < calls; i++)
            {
                if (set.Wait(0) != 1)
                {
                    Assert.Fail("PollSet.Wait did not see the writable socket");
                }
            }

            long ourBytes = GC.GetAllocatedBytesForCurrentThread() - before;

            // Measured: 32 bytes a call, a fresh _pollfd[] copy of the caller's array.
            Assert.True(monoBytes >= calls, $"Mono.Posix poll allocated {monoBytes} bytes over {calls} calls");
            Assert.Equal(0, ourBytes);
        }
    }

    [Fact]
    public void Tmds_poll_is_declared_without_SetLastError_but_its_epoll_wait_is_not()
    {
        static DllImportAttribute Import(string name) =>
            typeof(TmdsLibC).GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.GetCustomAttribute<DllImportAttribute>()!;

        Assert.False(Import(nameof(TmdsLibC.poll)).SetLastError);
        Assert.False(Import(nameof(TmdsLibC.ppoll)).SetLastError);
        Assert.True(Import(nameof(TmdsLibC.epoll_wait)).SetLastError);
    }

    [SkippableFact]
    public void Tmds_poll_loses_EINVAL_when_nfds_exceeds_RLIMIT_NOFILE_and_PollSet_reports_it()
    {
        ulong limit = FdLimits.Current.Soft;
        Skip.If(limit >= 1 << 22, $"RLIMIT_NOFILE is {limit}: too many pollfds to allocate for this check");
        int nfds = checked((int)limit + 1);

        // Tmds: poll fails with EINVAL, but errno is never captured, so its errno accessor (which reads the
        // runtime's saved P/Invoke error) returns whatever the previous SetLastError call left: here a sentinel.
        var fds = new pollfd[nfds];
        for (int i = 0; i < nfds; i++)
        {
            fds[i].fd = -1; // ignored by poll; the EINVAL check comes first anyway
        }

        const int sentinel = 12345;
        int result;
        int tmdsErrno;
        int savedError;
        fixed (pollfd* first = fds)
        {
            Marshal.SetLastPInvokeError(sentinel);
            result = TmdsLibC.poll(first, (ulong_t)(ulong)nfds, 0);
            savedError = Marshal.GetLastPInvokeError();
            tmdsErrno = TmdsLibC.errno;
        }

        Assert.Equal(-1, result);
        Assert.Equal(sentinel, savedError);
        Assert.Equal(sentinel, tmdsErrno);
        Assert.NotEqual((int)LinuxIoMux.Errno.EINVAL, tmdsErrno);

        // Mono.Posix captures it.
        var mono = new Pollfd[nfds];
        Assert.Equal(-1, MonoSyscall.poll(mono, (uint)nfds, 0));
        Assert.Equal(Mono.Unix.Native.Errno.EINVAL, Stdlib.GetLastError());

        // PollSet: the same condition is a UnixException with the real errno.
        using var set = new PollSet(nfds);
        for (int fd = 0; fd < nfds; fd++)
        {
            set.Add(fd + 100_000_000, PollEvents.In); // numbers nobody has open
        }

        var error = Assert.Throws<UnixException>(() => set.Wait(0));
        Assert.Equal(LinuxIoMux.Errno.EINVAL, error.Errno);
        Assert.Contains($"poll(nfds={nfds})", error.Message);
    }
}
