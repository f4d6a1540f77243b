using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LinuxIoMux.Interop;

namespace LinuxIoMux.Benchmarks;

/// <summary>
/// Where the managed cost of a zero-timeout wait at n = 1 goes (issue 12): the same select, poll and epoll_wait call
/// with one more layer each, from a bare P/Invoke without the GC transition up to the public wrapper, so the
/// difference between neighbours is what that layer costs.
/// <c>dotnet run -c Release --project src/LinuxIoMux.Benchmarks -- --filter '*ZeroTimeoutWaitCost*' --inProcess
/// --iterationTime 5 --iterationCount 40 --warmupCount 5</c> (the default toolchain cannot build the library here).
/// </summary>
/// <remarks>
/// Layers, per call: <c>Bare*</c> is a <c>DllImport</c> without SetLastError (the syscall plus the GC transition);
/// <c>*NoTransition</c> the same with <c>SuppressGCTransition</c> (the syscall alone); <c>LibC*</c> the library's
/// LibraryImport with SetLastError (adds clearing and saving errno); the wrapper adds argument checks, the
/// SafeHandle reference, pinning, the EINTR loop and, for select, nfds. One socketpair end with one unread byte is
/// watched, level-triggered, so every call returns 1 (checked once in the setup). Read the Min column on a shared
/// machine: many short iterations, and the least disturbed one is the closest to what the calls cost.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public unsafe class ZeroTimeoutWaitCostBenchmarks
{
    private const string EpollCategory = "epoll_wait";
    private const string PollCategory = "poll";
    private const string SelectCategory = "select";
    private const string Library = "libc.so.6";

    /// <summary>The demo's event buffer: 64 entries, one ever ready.</summary>
    private const int EventCapacity = 64;

    private FileDescriptorHandle _watched = null!;
    private FileDescriptorHandle _peer = null!;
    private EpollHandle _epoll = null!;
    private EpollEvent[] _events = null!;
    private PollSet _pollSet = null!;
    private PollFd* _pollFd;
    private FdSet _watchedSet;
    private int _epfd;
    private int _nfds;

    /// <summary>One readable socketpair end, registered with an epoll instance and a one-entry PollSet.</summary>
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
        _pollSet = new PollSet(1);
        _pollSet.Add(_watched, PollEvents.In);
        _pollFd = (PollFd*)NativeMemory.AllocZeroed((nuint)sizeof(PollFd));
        *_pollFd = new PollFd(_watched.Fd, PollEvents.In);
        _watchedSet.Set(_watched.Fd);
        _nfds = _watched.Fd + 1;

        foreach ((string name, Func<int> wait) in new (string, Func<int>)[]
        {
            (nameof(BareEpollWaitNoTransition), BareEpollWaitNoTransition), (nameof(BareEpollWait), BareEpollWait),
            (nameof(LibCEpollWait), LibCEpollWait), (nameof(LibCEpollWaitZeroTimeout), LibCEpollWaitZeroTimeout),
            (nameof(EpollHandleWait), EpollHandleWait),
            (nameof(BarePollNoTransition), BarePollNoTransition), (nameof(BarePoll), BarePoll),
            (nameof(LibCPoll), LibCPoll), (nameof(LibCPollZeroTimeout), LibCPollZeroTimeout), (nameof(PollSetWait), PollSetWait),
            (nameof(BareSelectNoTransition), BareSelectNoTransition), (nameof(BareSelect), BareSelect),
            (nameof(LibCSelect), LibCSelect), (nameof(LibCSelectZeroTimeout), LibCSelectZeroTimeout), (nameof(SelectWait), SelectWait),
        })
        {
            int ready = wait();
            if (ready != 1)
            {
                throw new InvalidOperationException($"{name} reported {ready} ready descriptors; expected exactly 1");
            }
        }
    }

    /// <summary>Frees the pollfd and closes every descriptor.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.Free(_pollFd);
        _pollSet.Dispose();
        _epoll.Dispose();
        _watched.Dispose();
        _peer.Dispose();
    }

    /// <summary>The syscall alone: no GC transition, no errno.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(EpollCategory)]
    public int BareEpollWaitNoTransition()
    {
        fixed (EpollEvent* events = _events)
        {
            return epoll_wait_no_transition(_epfd, events, EventCapacity, 0);
        }
    }

    /// <summary>Plus the GC transition.</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int BareEpollWait()
    {
        fixed (EpollEvent* events = _events)
        {
            return epoll_wait_bare(_epfd, events, EventCapacity, 0);
        }
    }

    /// <summary>Plus errno cleared before and saved after (the library's import).</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int LibCEpollWait()
    {
        fixed (EpollEvent* events = _events)
        {
            return LibC.epoll_wait(_epfd, events, EventCapacity, 0);
        }
    }

    /// <summary>The library's zero-timeout import: errno as in <see cref="LibCEpollWait"/>, no GC transition.</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int LibCEpollWaitZeroTimeout()
    {
        fixed (EpollEvent* events = _events)
        {
            return LibC.epoll_wait_zero_timeout(_epfd, events, EventCapacity);
        }
    }

    /// <summary>The public wrapper: <see cref="EpollHandle.Wait(Span{EpollEvent}, int)"/>.</summary>
    [Benchmark, BenchmarkCategory(EpollCategory)]
    public int EpollHandleWait() => _epoll.Wait(_events, timeoutMilliseconds: 0);

    /// <summary>The syscall alone.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(PollCategory)]
    public int BarePollNoTransition() => poll_no_transition(_pollFd, 1, 0);

    /// <summary>Plus the GC transition.</summary>
    [Benchmark, BenchmarkCategory(PollCategory)]
    public int BarePoll() => poll_bare(_pollFd, 1, 0);

    /// <summary>Plus errno (the library's import).</summary>
    [Benchmark, BenchmarkCategory(PollCategory)]
    public int LibCPoll() => LibC.poll(_pollFd, 1, 0);

    /// <summary>The library's zero-timeout import: errno as in <see cref="LibCPoll"/>, no GC transition.</summary>
    [Benchmark, BenchmarkCategory(PollCategory)]
    public int LibCPollZeroTimeout() => LibC.poll_zero_timeout(_pollFd, 1);

    /// <summary>The public wrapper: <see cref="PollSet.Wait(int)"/>.</summary>
    [Benchmark, BenchmarkCategory(PollCategory)]
    public int PollSetWait() => _pollSet.Wait(timeoutMilliseconds: 0);

    /// <summary>The syscall alone (the read set copied in first, as every select caller must).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SelectCategory)]
    public int BareSelectNoTransition()
    {
        FdSet read = _watchedSet;
        Timeval timeout = default;
        return select_no_transition(_nfds, &read, null, null, &timeout);
    }

    /// <summary>Plus the GC transition.</summary>
    [Benchmark, BenchmarkCategory(SelectCategory)]
    public int BareSelect()
    {
        FdSet read = _watchedSet;
        Timeval timeout = default;
        return select_bare(_nfds, &read, null, null, &timeout);
    }

    /// <summary>Plus errno (the library's import).</summary>
    [Benchmark, BenchmarkCategory(SelectCategory)]
    public int LibCSelect()
    {
        FdSet read = _watchedSet;
        Timeval timeout = default;
        return LibC.select(_nfds, &read, null, null, &timeout);
    }

    /// <summary>The library's zero-timeout import: errno as in <see cref="LibCSelect"/>, no GC transition.</summary>
    [Benchmark, BenchmarkCategory(SelectCategory)]
    public int LibCSelectZeroTimeout()
    {
        FdSet read = _watchedSet;
        return LibC.select_zero_timeout(_nfds, &read, null, null);
    }

    /// <summary>The public wrapper: <see cref="Select.Wait(ref FdSet, ref FdSet, ref FdSet, int)"/>, as the demo calls it.</summary>
    [Benchmark, BenchmarkCategory(SelectCategory)]
    public int SelectWait()
    {
        FdSet read = _watchedSet;
        FdSet write = default;
        FdSet except = default;
        return Select.Wait(ref read, ref write, ref except, timeoutMilliseconds: 0);
    }

    // Measurement-only imports: no errno, so never for library code. A zero timeout cannot block, which is what makes
    // the ones without the GC transition legal here.
    [DllImport(Library, EntryPoint = "epoll_wait")]
    private static extern int epoll_wait_bare(int epfd, void* events, int maxevents, int timeout);

    [DllImport(Library, EntryPoint = "epoll_wait"), SuppressGCTransition]
    private static extern int epoll_wait_no_transition(int epfd, void* events, int maxevents, int timeout);

    [DllImport(Library, EntryPoint = "poll")]
    private static extern int poll_bare(PollFd* fds, nuint nfds, int timeout);

    [DllImport(Library, EntryPoint = "poll"), SuppressGCTransition]
    private static extern int poll_no_transition(PollFd* fds, nuint nfds, int timeout);

    [DllImport(Library, EntryPoint = "select")]
    private static extern int select_bare(int nfds, FdSet* read, FdSet* write, FdSet* except, Timeval* timeout);

    [DllImport(Library, EntryPoint = "select"), SuppressGCTransition]
    private static extern int select_no_transition(int nfds, FdSet* read, FdSet* write, FdSet* except, Timeval* timeout);
}
