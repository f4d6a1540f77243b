using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LinuxIoMux.Interop;
using LinuxIoMux.IoUring;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Layout;

/// <summary>
/// Compares every line of native/layout (this machine's C headers) with the managed declarations, and makes sure
/// nothing is left unchecked in either direction: every probe line is compared, and every LibC constant and enum
/// member has a probe line.
/// </summary>
public unsafe class LayoutProbeTests
{
    /// <summary>EpollEvents member -> the C macro the probe prints. A new member without a line here fails below.</summary>
    private static readonly Dictionary<EpollEvents, string> s_epollNames = new()
    {
        [EpollEvents.In] = "EPOLLIN",
        [EpollEvents.Pri] = "EPOLLPRI",
        [EpollEvents.Out] = "EPOLLOUT",
        [EpollEvents.Err] = "EPOLLERR",
        [EpollEvents.Hup] = "EPOLLHUP",
        [EpollEvents.RdNorm] = "EPOLLRDNORM",
        [EpollEvents.RdBand] = "EPOLLRDBAND",
        [EpollEvents.WrNorm] = "EPOLLWRNORM",
        [EpollEvents.WrBand] = "EPOLLWRBAND",
        [EpollEvents.Msg] = "EPOLLMSG",
        [EpollEvents.RdHup] = "EPOLLRDHUP",
        [EpollEvents.Exclusive] = "EPOLLEXCLUSIVE",
        [EpollEvents.WakeUp] = "EPOLLWAKEUP",
        [EpollEvents.OneShot] = "EPOLLONESHOT",
        [EpollEvents.EdgeTriggered] = "EPOLLET",
    };

    /// <summary>PollEvents member -> C macro.</summary>
    private static readonly Dictionary<PollEvents, string> s_pollNames = new()
    {
        [PollEvents.In] = "POLLIN",
        [PollEvents.Pri] = "POLLPRI",
        [PollEvents.Out] = "POLLOUT",
        [PollEvents.Err] = "POLLERR",
        [PollEvents.Hup] = "POLLHUP",
        [PollEvents.Nval] = "POLLNVAL",
        [PollEvents.RdNorm] = "POLLRDNORM",
        [PollEvents.RdBand] = "POLLRDBAND",
        [PollEvents.WrNorm] = "POLLWRNORM",
        [PollEvents.WrBand] = "POLLWRBAND",
        [PollEvents.RdHup] = "POLLRDHUP",
    };

    /// <summary>Struct sizes and offsets: probe line -> what the managed side declares.</summary>
    private static Dictionary<string, ulong> ManagedLayout() => new()
    {
        ["sizeof(struct epoll_event)"] = (ulong)EpollAbi.NativeStride,
        ["offsetof(struct epoll_event,events)"] = (ulong)EventsOffsetWrittenByEpollAbi(),
        ["offsetof(struct epoll_event,data)"] = (ulong)EpollAbi.DataOffset(EpollAbi.NativeStride),
        ["sizeof(struct pollfd)"] = (ulong)Unsafe.SizeOf<PollFd>(),
        ["offsetof(struct pollfd,fd)"] = (ulong)Marshal.OffsetOf<PollFd>("_fd"),
        ["offsetof(struct pollfd,events)"] = (ulong)Marshal.OffsetOf<PollFd>("_events"),
        ["offsetof(struct pollfd,revents)"] = (ulong)Marshal.OffsetOf<PollFd>("_returnedEvents"),
        ["sizeof(fd_set)"] = (ulong)Unsafe.SizeOf<FdSet>(),
        ["sizeof(struct timeval)"] = (ulong)Unsafe.SizeOf<Timeval>(),
        ["offsetof(struct timeval,tv_usec)"] = (ulong)Marshal.OffsetOf<Timeval>(nameof(Timeval.Microseconds)),
        ["sizeof(struct timespec)"] = (ulong)Unsafe.SizeOf<Timespec>(),
        ["offsetof(struct timespec,tv_nsec)"] = (ulong)Marshal.OffsetOf<Timespec>(nameof(Timespec.Nanoseconds)),
        ["sizeof(nfds_t)"] = (ulong)sizeof(nuint), // LibC.poll/ppoll declare nfds as nuint
        ["sizeof(struct rlimit)"] = (ulong)Unsafe.SizeOf<Rlimit>(),
        ["offsetof(struct rlimit,rlim_max)"] = (ulong)Marshal.OffsetOf<Rlimit>(nameof(Rlimit.Maximum)),
        ["sizeof(sigset_t)"] = (ulong)(LibC._SIGSET_NWORDS * sizeof(ulong)), // the buffer ThreadSignalMask widens into
        ["_NSIG"] = (ulong)(Unsafe.SizeOf<SignalSet>() * 8 + 1), // glibc: highest signal + 1; SignalSet holds one bit each
        ["sizeof(struct signalfd_siginfo)"] = (ulong)Unsafe.SizeOf<SignalInfo>(),
        ["offsetof(struct signalfd_siginfo,ssi_signo)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_signal"),
        ["offsetof(struct signalfd_siginfo,ssi_errno)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_errno"),
        ["offsetof(struct signalfd_siginfo,ssi_code)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_code"),
        ["offsetof(struct signalfd_siginfo,ssi_pid)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_pid"),
        ["offsetof(struct signalfd_siginfo,ssi_uid)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_uid"),
        ["offsetof(struct signalfd_siginfo,ssi_status)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_status"),
        ["offsetof(struct signalfd_siginfo,ssi_int)"] = (ulong)Marshal.OffsetOf<SignalInfo>("_value"),
        ["sizeof(struct epoll_params)"] = (ulong)Unsafe.SizeOf<EpollParams>(),
        ["offsetof(struct epoll_params,busy_poll_budget)"] = (ulong)Marshal.OffsetOf<EpollParams>(nameof(EpollParams.BusyPollBudget)),
        ["offsetof(struct epoll_params,prefer_busy_poll)"] = (ulong)Marshal.OffsetOf<EpollParams>(nameof(EpollParams.PreferBusyPoll)),
        ["EPIOCSPARAMS"] = EpollParams.EPIOCSPARAMS, // uint constants of EpollParams, not LibC ints
        ["EPIOCGPARAMS"] = EpollParams.EPIOCGPARAMS,
        ["sizeof(struct itimerspec)"] = (ulong)Unsafe.SizeOf<Itimerspec>(),
        ["offsetof(struct itimerspec,it_value)"] = (ulong)Marshal.OffsetOf<Itimerspec>(nameof(Itimerspec.Value)),
        ["RLIM_INFINITY"] = LibC.RLIM_INFINITY, // the one 64-bit constant, so not among the int constants below
        ["sizeof(struct io_uring_params)"] = (ulong)Unsafe.SizeOf<IoUringParams>(),
        ["offsetof(struct io_uring_params,cq_entries)"] = Offset<IoUringParams>(nameof(IoUringParams.CqEntries)),
        ["offsetof(struct io_uring_params,flags)"] = Offset<IoUringParams>(nameof(IoUringParams.Flags)),
        ["offsetof(struct io_uring_params,features)"] = Offset<IoUringParams>(nameof(IoUringParams.Features)),
        ["offsetof(struct io_uring_params,sq_off)"] = Offset<IoUringParams>(nameof(IoUringParams.SqOffsets)),
        ["offsetof(struct io_uring_params,cq_off)"] = Offset<IoUringParams>(nameof(IoUringParams.CqOffsets)),
        ["sizeof(struct io_sqring_offsets)"] = (ulong)Unsafe.SizeOf<SqRingOffsets>(),
        ["offsetof(struct io_sqring_offsets,tail)"] = Offset<SqRingOffsets>(nameof(SqRingOffsets.Tail)),
        ["offsetof(struct io_sqring_offsets,ring_mask)"] = Offset<SqRingOffsets>(nameof(SqRingOffsets.RingMask)),
        ["offsetof(struct io_sqring_offsets,flags)"] = Offset<SqRingOffsets>(nameof(SqRingOffsets.Flags)),
        ["offsetof(struct io_sqring_offsets,array)"] = Offset<SqRingOffsets>(nameof(SqRingOffsets.Array)),
        ["sizeof(struct io_cqring_offsets)"] = (ulong)Unsafe.SizeOf<CqRingOffsets>(),
        ["offsetof(struct io_cqring_offsets,tail)"] = Offset<CqRingOffsets>(nameof(CqRingOffsets.Tail)),
        ["offsetof(struct io_cqring_offsets,ring_mask)"] = Offset<CqRingOffsets>(nameof(CqRingOffsets.RingMask)),
        ["offsetof(struct io_cqring_offsets,overflow)"] = Offset<CqRingOffsets>(nameof(CqRingOffsets.Overflow)),
        ["offsetof(struct io_cqring_offsets,cqes)"] = Offset<CqRingOffsets>(nameof(CqRingOffsets.Cqes)),
        ["sizeof(struct io_uring_sqe)"] = (ulong)Unsafe.SizeOf<IoUringSqe>(),
        ["offsetof(struct io_uring_sqe,flags)"] = Offset<IoUringSqe>(nameof(IoUringSqe.Flags)),
        ["offsetof(struct io_uring_sqe,fd)"] = Offset<IoUringSqe>(nameof(IoUringSqe.Fd)),
        ["offsetof(struct io_uring_sqe,addr)"] = Offset<IoUringSqe>(nameof(IoUringSqe.Address)),
        ["offsetof(struct io_uring_sqe,len)"] = Offset<IoUringSqe>(nameof(IoUringSqe.Length)),
        ["offsetof(struct io_uring_sqe,poll32_events)"] = Offset<IoUringSqe>(nameof(IoUringSqe.PollEvents)),
        ["offsetof(struct io_uring_sqe,user_data)"] = Offset<IoUringSqe>(nameof(IoUringSqe.UserData)),
        ["sizeof(struct io_uring_cqe)"] = (ulong)Unsafe.SizeOf<IoUringCqe>(),
        ["offsetof(struct io_uring_cqe,res)"] = Offset<IoUringCqe>(nameof(IoUringCqe.Result)),
        ["offsetof(struct io_uring_cqe,flags)"] = Offset<IoUringCqe>(nameof(IoUringCqe.Flags)),
        ["sizeof(struct io_uring_getevents_arg)"] = (ulong)Unsafe.SizeOf<IoUringGetEventsArg>(),
        ["offsetof(struct io_uring_getevents_arg,sigmask_sz)"] = Offset<IoUringGetEventsArg>(nameof(IoUringGetEventsArg.SignalMaskSize)),
        ["offsetof(struct io_uring_getevents_arg,ts)"] = Offset<IoUringGetEventsArg>(nameof(IoUringGetEventsArg.Timespec)),
    };

    private static ulong Offset<T>(string field) => (ulong)Marshal.OffsetOf<T>(field);

    /// <summary>Every literal constant declared in Interop.LibC, by name (the names are the C names). The probe prints
    /// them as 32-bit unsigned values; the io_uring ones are uint, byte (opcodes) and long (syscall numbers, mmap offsets).</summary>
    private static Dictionary<string, ulong> LibCConstants() =>
        typeof(LibC).GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(field => field.IsLiteral && (field.FieldType == typeof(int) || field.FieldType == typeof(uint) || field.FieldType == typeof(byte) || field.FieldType == typeof(long)))
            .ToDictionary(field => field.Name, field => (ulong)(uint)Convert.ToInt64(field.GetRawConstantValue()));

    [Fact]
    public void Struct_sizes_and_offsets_match_the_C_headers()
    {
        foreach ((string line, ulong managed) in ManagedLayout())
        {
            Assert.True(NativeLayoutProbe.Value(line) == managed, $"{line}: C says {NativeLayoutProbe.Value(line)}, C# says {managed}");
        }
    }

    [Fact]
    public void Epoll_event_layout_matches_EpollEvent_on_aligned_architectures_and_the_packed_stride_on_x86()
    {
        ulong size = NativeLayoutProbe.Value("sizeof(struct epoll_event)");
        Assert.Contains(size, new ulong[] { EpollAbi.PackedStride, EpollAbi.AlignedStride });
        if (size == EpollAbi.AlignedStride)
        {
            // On arm64 the kernel's record IS our EpollEvent: no widening is needed.
            Assert.Equal((int)size, Unsafe.SizeOf<EpollEvent>());
            Assert.Equal(NativeLayoutProbe.Value("offsetof(struct epoll_event,data)"), (ulong)Marshal.OffsetOf<EpollEvent>("_data"));
        }

        Assert.Equal(16, Unsafe.SizeOf<EpollEvent>());
    }

    [SkippableFact]
    public void The_probe_describes_the_architecture_the_tests_run_as()
    {
        // A probe built for another architecture (the x86-64 one in artifacts/native, found by an arm64 run under
        // qemu-user) would compare that architecture's C layout with this process's managed one.
        ushort? expected = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 62, // EM_X86_64
            Architecture.Arm64 => 183, // EM_AARCH64
            _ => null,
        };
        Skip.If(expected is null, $"no ELF machine number listed here for {RuntimeInformation.ProcessArchitecture}");
        Assert.True(expected == NativeLayoutProbe.ElfMachine,
            $"native/layout is built for ELF machine {NativeLayoutProbe.ElfMachine}, the tests run as {RuntimeInformation.ProcessArchitecture} ({expected})");
    }

    [Fact]
    public void Fd_set_size_matches_FD_SETSIZE()
    {
        Assert.Equal((ulong)FdSet.Capacity, NativeLayoutProbe.Value("FD_SETSIZE"));
        Assert.Equal((ulong)FdSet.Capacity, NativeLayoutProbe.Value("sizeof(fd_set)") * 8);
    }

    [Fact]
    public void Every_LibC_constant_matches_its_C_macro()
    {
        Dictionary<string, ulong> constants = LibCConstants();
        Assert.NotEmpty(constants);
        foreach ((string name, ulong value) in constants)
        {
            // A constant with no probe line makes Value throw: add the CONSTANT(...) line to native/layout/layout.c.
            Assert.True(NativeLayoutProbe.Value(name) == value, $"{name}: C says {NativeLayoutProbe.Value(name)}, C# says {value}");
        }
    }

    [Fact]
    public void Every_EpollEvents_member_has_a_probe_line_and_the_C_value()
    {
        foreach (EpollEvents member in Enum.GetValues<EpollEvents>().Where(member => member != EpollEvents.None))
        {
            Assert.True(s_epollNames.ContainsKey(member), $"EpollEvents.{member} has no C name in the table: add it and a CONSTANT line to layout.c.");
        }

        foreach ((EpollEvents member, string cName) in s_epollNames)
        {
            Assert.True(NativeLayoutProbe.Value(cName) == (uint)member, $"EpollEvents.{member}: {cName} is {NativeLayoutProbe.Value(cName)}, C# says {(uint)member}");
        }
    }

    [Fact]
    public void Every_PollEvents_member_has_a_probe_line_and_the_C_value()
    {
        foreach (PollEvents member in Enum.GetValues<PollEvents>().Where(member => member != PollEvents.None))
        {
            Assert.True(s_pollNames.ContainsKey(member), $"PollEvents.{member} has no C name in the table: add it and a CONSTANT line to layout.c.");
        }

        foreach ((PollEvents member, string cName) in s_pollNames)
        {
            Assert.True(NativeLayoutProbe.Value(cName) == (ushort)member, $"PollEvents.{member}: {cName} is {NativeLayoutProbe.Value(cName)}, C# says {(ushort)member}");
        }
    }

    [Fact]
    public void Every_UnixSignal_member_has_its_C_number()
    {
        // The member names are the C names, so no table: a new member without a CONSTANT line makes Value throw.
        foreach (UnixSignal member in Enum.GetValues<UnixSignal>())
        {
            Assert.True(NativeLayoutProbe.Value(member.ToString()) == (ulong)member, $"UnixSignal.{member}: C says {NativeLayoutProbe.Value(member.ToString())}, C# says {(int)member}");
        }
    }

    [Fact]
    public void Every_TimerClock_member_is_its_clockid()
    {
        Assert.True(NativeLayoutProbe.Value("CLOCK_MONOTONIC") == (ulong)TimerClock.Monotonic, "TimerClock.Monotonic is not CLOCK_MONOTONIC");
        Assert.True(NativeLayoutProbe.Value("CLOCK_BOOTTIME") == (ulong)TimerClock.BootTime, "TimerClock.BootTime is not CLOCK_BOOTTIME");
        Assert.Equal(2, Enum.GetValues<TimerClock>().Length); // a new clock needs its line above
    }

    [Fact]
    public void Every_line_the_probe_prints_is_checked()
    {
        var checkedLines = new HashSet<string>(ManagedLayout().Keys);
        checkedLines.UnionWith(LibCConstants().Keys);
        checkedLines.UnionWith(s_epollNames.Values);
        checkedLines.UnionWith(s_pollNames.Values);
        checkedLines.Add("FD_SETSIZE"); // also FdSet.Capacity, see Fd_set_size_matches_FD_SETSIZE
        checkedLines.UnionWith(Enum.GetNames<UnixSignal>());

        Assert.NotEmpty(NativeLayoutProbe.Lines);
        var unchecked_ = NativeLayoutProbe.Lines.Select(line => line.Key).Where(name => !checkedLines.Contains(name)).ToList();
        Assert.True(unchecked_.Count == 0, "native/layout prints lines no test compares: " + string.Join(", ", unchecked_));

        var duplicates = NativeLayoutProbe.Lines.GroupBy(line => line.Key).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        Assert.Empty(duplicates);
    }

    /// <summary>Where EpollAbi.Write actually puts the events word, found by writing a marker and searching for it.</summary>
    private static int EventsOffsetWrittenByEpollAbi()
    {
        byte* record = stackalloc byte[EpollAbi.AlignedStride];
        EpollAbi.Write(record, EpollAbi.NativeStride, (EpollEvents)0xA1B2C3D4, 0);
        var bytes = new ReadOnlySpan<byte>(record, EpollAbi.AlignedStride);
        for (int offset = 0; offset + 4 <= bytes.Length; offset++)
        {
            if (MemoryMarshal.Read<uint>(bytes[offset..]) == 0xA1B2C3D4)
            {
                return offset;
            }
        }

        return -1;
    }
}
