using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MonoSyscall = Mono.Unix.Native.Syscall;
using TmdsLibC = Tmds.Linux.LibC;

namespace LinuxIoMux.Benchmarks;

/// <summary>
/// What LinuxIoMux's wrappers cost on top of the system call: one zero-timeout wait on one descriptor that is
/// readable (a socketpair end with one unread byte), through LinuxIoMux, through Tmds.LibC's raw binding (the
/// baseline of each category: a bare P/Invoke on a pointer) and through Mono.Posix.
/// </summary>
/// <remarks>
/// <para>The byte is never read and every registration is level-triggered, so every call returns 1; the setup checks
/// that once per benchmark and fails the run otherwise. All epoll benchmarks wait on the same epoll instance and
/// receive into a 16-entry buffer; all poll benchmarks pass one pollfd.</para>
/// <para>DESIGN.md's goal for the wrappers: within 5% of the raw call and 0 bytes allocated per call.</para>
/// </remarks>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public unsafe class WrapperCostBenchmarks
{
    private const string EpollCategory = "epoll_wait";
    private const string PollCategory = "poll";
    private const string SelectCategory = "select";

    /// <summary>Event buffer length for every epoll variant: a small event-loop buffer; one event is ever ready.</summary>
    private const int EventCapacity = 16;

    /// <summary>POLLIN from &lt;poll.h&gt;.</summary>
    private const short PollIn = 0x1;

    private FileDescriptorHandle _watched = null!;
    private FileDescriptorHandle _peer = null!;
    private EpollHandle _epoll = null!;
    private EpollEvent[] _events = null!;
    private EpollBuffer _buffer = null!;
    private Tmds.Linux.epoll_event* _tmdsEvents;
    private Mono.Unix.Native.EpollEvent[] _monoEvents = null!;
    private PollSet _pollSet = null!;
    private Tmds.Linux.pollfd* _tmdsPollFd;
    private Mono.Unix.Native.Pollfd[] _monoPollFds = null!;
    private FdSet _selectTemplate;
    private int _epfd;

    /// <summary>Creates the socketpair, makes one end readable, and registers it with every multiplexer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_watched, _peer) = SocketPair.Create();
        if (_peer.Write("!"u8) != 1)
        {
            throw new InvalidOperationException("could not write the byte that makes the watched end readable");
        }

        _epoll = EpollHandle.Create();
        _epoll.Add(_watched, EpollEvents.In, data: 1);
        _epfd = (int)_epoll.DangerousGetHandle();
        _events = new EpollEvent[EventCapacity];
        _buffer = new EpollBuffer(EventCapacity);
        _tmdsEvents = (Tmds.Linux.epoll_event*)NativeMemory.AllocZeroed(EventCapacity, (nuint)sizeof(Tmds.Linux.epoll_event));
        _monoEvents = new Mono.Unix.Native.EpollEvent[EventCapacity];

        _pollSet = new PollSet(1);
        _pollSet.Add(_watched, PollEvents.In);
        _tmdsPollFd = (Tmds.Linux.pollfd*)NativeMemory.AllocZeroed((nuint)sizeof(Tmds.Linux.pollfd));
        _tmdsPollFd->fd = _watched.Fd;
        _tmdsPollFd->events = PollIn;
        _monoPollFds = [new Mono.Unix.Native.Pollfd { fd = _watched.Fd, events = Mono.Unix.Native.PollEvents.POLLIN }];

        _selectTemplate = default;
        _selectTemplate.Set(_watched.Fd);

        // Every variant must see exactly the one ready descriptor, or the comparison measures something else.
        Expect(nameof(EpollHandleWaitSpan), EpollHandleWaitSpan());
        Expect(nameof(EpollHandleWaitBuffer), EpollHandleWaitBuffer());
        Expect(nameof(TmdsLibCEpollWait), TmdsLibCEpollWait());
        Expect(nameof(MonoPosixEpollWait), MonoPosixEpollWait());
        Expect(nameof(PollSetWait), PollSetWait());
        Expect(nameof(TmdsLibCPoll), TmdsLibCPoll());
        Expect(nameof(MonoPosixPoll), MonoPosixPoll());
        Expect(nameof(SelectWait), SelectWait());
    }

    /// <summary>Frees the native buffers and closes every descriptor.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.Free(_tmdsEvents);
        NativeMemory.Free(_tmdsPollFd);
        _pollSet.Dispose();
        _buffer.Dispose();
        _epoll.Dispose();
        _watched.Dispose();
        _peer.Dispose();
    }

    /// <summary>LinuxIoMux: <see cref="EpollHandle.Wait(Span{EpollEvent}, int)"/> into a managed array.</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int EpollHandleWaitSpan() => _epoll.Wait(_events, timeoutMilliseconds: 0);

    /// <summary>LinuxIoMux: <see cref="EpollHandle.Wait(EpollBuffer, int)"/> into native records (no widening).</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int EpollHandleWaitBuffer() => _epoll.Wait(_buffer, timeoutMilliseconds: 0);

    /// <summary>Tmds.LibC: the bare <c>epoll_wait</c> P/Invoke on a native buffer. The baseline.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(EpollCategory)]
    public int TmdsLibCEpollWait() => TmdsLibC.epoll_wait(_epfd, _tmdsEvents, EventCapacity, 0);

    /// <summary>Mono.Posix: <c>Syscall.epoll_wait</c> with its managed <c>EpollEvent[]</c>.</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int MonoPosixEpollWait() => MonoSyscall.epoll_wait(_epfd, _monoEvents, EventCapacity, 0);

    /// <summary>LinuxIoMux: <see cref="PollSet.Wait(int)"/> over its one-entry native pollfd array.</summary>
    [Benchmark, BenchmarkCategory(PollCategory)]
    public int PollSetWait() => _pollSet.Wait(timeoutMilliseconds: 0);

    /// <summary>Tmds.LibC: the bare <c>poll</c> P/Invoke on a native pollfd. The baseline.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(PollCategory)]
    public int TmdsLibCPoll() => TmdsLibC.poll(_tmdsPollFd, 1, 0);

    /// <summary>Mono.Posix: <c>Syscall.poll</c> with its managed <c>Pollfd[]</c>.</summary>
    [Benchmark, BenchmarkCategory(PollCategory)]
    public int MonoPosixPoll() => MonoSyscall.poll(_monoPollFds, 1, 0);

    /// <summary>
    /// LinuxIoMux: <see cref="Select.Wait(ref FdSet, ref FdSet, ref FdSet, int)"/>, copying the watched set into the
    /// read set first, as every select caller must (select overwrites it). No peer binding here to compare with:
    /// Tmds.LibC does not bind select.
    /// </summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SelectCategory)]
    public int SelectWait()
    {
        FdSet read = _selectTemplate;
        FdSet write = default;
        FdSet except = default;
        return Select.Wait(ref read, ref write, ref except, timeoutMilliseconds: 0);
    }

    private static void Expect(string benchmark, int ready)
    {
        if (ready != 1)
        {
            throw new InvalidOperationException($"{benchmark} reported {ready} ready descriptors; expected exactly 1");
        }
    }
}
