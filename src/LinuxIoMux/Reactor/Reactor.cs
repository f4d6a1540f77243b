using System.Collections.Concurrent;
using System.Net.Sockets;
using LinuxIoMux.Diagnostics;

namespace LinuxIoMux;

/// <summary>
/// A single-threaded event loop over an <see cref="IMultiplexer"/> (epoll, poll or select): readiness handlers for
/// registered descriptors, timers, and actions posted from other threads.
/// </summary>
/// <remarks>
/// <para><b>What the kernel promises.</b> Readiness, level-triggered unless <see cref="Interest.EdgeTriggered"/> (epoll
/// only). Events can be spurious: a handler must treat readiness as a hint and stop at would-block (the
/// <see cref="NonBlockingSocket"/> helpers report it without exceptions).</para>
/// <para><b>What the reactor adds.</b> Each loop iteration waits once (the timeout is the earliest timer, zero if
/// actions are posted), dispatches the ready descriptors, then runs the due timers in due order, then the posted
/// actions. Handlers may register, modify and dispose registrations (also another one that is ready in the same
/// batch: it is not dispatched), schedule timers and post. An exception thrown by a handler, timer or posted action
/// is passed to <see cref="UnhandledException"/> and the loop continues.</para>
/// <para><b>What the caller must do.</b> Put descriptors in non-blocking mode (<see cref="Register(Socket, Interest, ReadinessHandler, object?)"/>
/// does it for sockets). Dispose a <see cref="Registration"/> before closing its descriptor. Call everything except
/// <see cref="Post"/>, <see cref="Stop"/>, <see cref="Dispose"/>, <see cref="Registration.Dispose"/> and
/// <see cref="ReactorTimer.Cancel"/> on the loop thread (from handlers, timers and posted actions, or while the loop is
/// not running).</para>
/// <para><b>Where the mechanisms live.</b> Construction and disposal in <c>Reactor.cs</c>; running, stopping and
/// the loop thread in <c>Reactor.Loop.cs</c>; registrations in <c>Reactor.Registrations.cs</c> over a
/// <see cref="RegistrationTable"/>; one iteration's dispatch in <c>Reactor.Dispatch.cs</c>; posting in
/// <c>Reactor.Posting.cs</c>; timers in <c>Reactor.Timers.cs</c>; awaiting and spawning (layer 3) in
/// <c>Async/Reactor.Await.cs</c> and <c>Async/Reactor.Spawn.cs</c>.</para>
/// <para><b>Allocation.</b> In steady state a loop iteration allocates nothing: the ready-event buffer is allocated
/// once, handlers are stored per registration (use <see cref="Registration.State"/> instead of a closure per
/// dispatch), and no LINQ or boxing is used. Register, Schedule and Post allocate their own small objects.</para>
/// </remarks>
/// <example>
/// <code>
/// using var reactor = new Reactor(MultiplexerKind.Epoll);
/// reactor.Register(socket, Interest.Readable, static (registration, readiness) =&gt; { /* read until would-block */ });
/// reactor.Schedule(TimeSpan.FromSeconds(5), reactor.Stop);
/// reactor.Run(CancellationToken.None);
/// </code>
/// </example>
public sealed partial class Reactor : IDisposable
{
    /// <summary>
    /// Default ready-event buffer: 1024 entries (16 KiB), the same as .NET's SocketAsyncEngine (EventBufferCount):
    /// large enough that a wait rarely truncates under load, small enough to stay in L2.
    /// </summary>
    public const int DefaultEventCapacity = 1024;

    private const int Live = 0;
    private const int DisposeRequested = 1;
    private const int Disposed = 2;

    private readonly IMultiplexer _multiplexer;
    private readonly ReadyEvent[] _ready;
    private readonly Waker _waker;
    private readonly RegistrationTable _registrations = new();
    private readonly ConcurrentQueue<LoopCallback> _posted = new();
    private readonly ConcurrentQueue<Registration> _pendingRemovals = new();
    private readonly TimerQueue _timers = new();

    private int _loopThreadId;
    private volatile bool _stopRequested;
    private int _disposeState;
    private bool _dispatching;

    /// <summary>Creates a reactor waiting with the given system call.</summary>
    /// <param name="kind">epoll, poll or select.</param>
    /// <param name="eventCapacity">Ready events handled per wait; more stay ready for the next (level-triggered) wait.</param>
    /// <exception cref="ArgumentOutOfRangeException">An unknown <paramref name="kind"/>, or <paramref name="eventCapacity"/>
    /// is zero or negative (thrown before any descriptor is opened).</exception>
    /// <exception cref="UnixException">The epoll fd or the eventfd could not be created (EMFILE, ENFILE).</exception>
    public Reactor(MultiplexerKind kind, int eventCapacity = DefaultEventCapacity)
        : this(CreateMultiplexer(kind, eventCapacity), eventCapacity)
    {
    }

    /// <summary>Creates a reactor over a multiplexer it then owns (disposes). If this constructor throws, the caller
    /// still owns <paramref name="multiplexer"/>, except after a failure to create the waker, when it is disposed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="multiplexer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="eventCapacity"/> is zero or negative.</exception>
    /// <exception cref="UnixException">The waker's eventfd could not be created or registered.</exception>
    public Reactor(IMultiplexer multiplexer, int eventCapacity = DefaultEventCapacity)
    {
        // Arguments first: docs/errors.md promises argument errors before any syscall, so a bad call opens nothing.
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventCapacity);
        _multiplexer = multiplexer;
        _ready = new ReadyEvent[eventCapacity];
        try
        {
            _waker = new Waker();
            AddToMultiplexer(_waker.Handle, Interest.Readable, RegistrationTable.ReservedToken);
        }
        catch
        {
            _waker?.Dispose();
            _multiplexer.Dispose();
            throw;
        }

        LinuxIoMuxMetrics.Track(this);
    }

    /// <summary>
    /// Raised on the loop thread with the exception a handler, timer callback or posted action threw
    /// (<see cref="UnhandledExceptionEventArgs.IsTerminating"/> is false: the loop continues). Without a subscriber
    /// the exception is written to standard error. An exception thrown by a subscriber ends <see cref="Run"/>.
    /// </summary>
    public event UnhandledExceptionEventHandler? UnhandledException;

    /// <summary>The system call this reactor waits with.</summary>
    public MultiplexerKind Kind => _multiplexer.Kind;

    /// <summary>How many descriptors are registered (the internal waker not counted).</summary>
    public int RegistrationCount => IsDisposed ? 0 : _multiplexer.Count - 1 + _parkedCount;

    /// <summary>How many timers are scheduled and not yet run (cancelled ones may still be counted until dropped).</summary>
    public int PendingTimerCount => _timers.Count;

    /// <summary>True while <see cref="Run"/> or <see cref="RunOnce"/> is executing on some thread.</summary>
    public bool IsRunning => Volatile.Read(ref _loopThreadId) != 0;

    /// <summary>True on the thread currently running the loop.</summary>
    public bool IsOnLoopThread => Volatile.Read(ref _loopThreadId) == Environment.CurrentManagedThreadId;

    /// <summary>This loop's totals for the <c>LinuxIoMux</c> meter (see <see cref="LinuxIoMuxMetrics"/>).</summary>
    internal ReactorCounters Counters { get; } = new();

    /// <summary>How many times the waker eventfd was actually written (Posts and Stops coalesce into fewer).</summary>
    internal long WakeSignals => _waker.Signals;

    /// <summary>True once <see cref="Dispose"/> was called, even while the loop is still finishing it.</summary>
    private bool IsDisposed => Volatile.Read(ref _disposeState) != Live;

    /// <summary>
    /// Closes the multiplexer and the waker. Registrations become inactive; their descriptors stay open (the caller
    /// owns them). Pending timers and posted actions are dropped. Never throws, from any thread.
    /// </summary>
    /// <remarks>
    /// While no loop runs, everything is released before Dispose returns. While a loop runs (called from a handler
    /// or from another thread), Dispose ends it like <see cref="Stop"/>, no further handler, timer or posted action
    /// runs, and the loop thread releases everything as its <see cref="Run"/> or <see cref="RunOnce"/> returns:
    /// Dispose does not wait for that (a thread the loop is waiting on could not be waited for without a deadlock).
    /// </remarks>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _disposeState, DisposeRequested, Live) != Live)
        {
            return;
        }

        // Interlocked above and in ExitLoop are full fences: either this read sees the loop still running, and then
        // the loop sees the request when it exits, or it sees no loop, and then this thread releases (both may see
        // the other; ReleaseResources runs once).
        if (Volatile.Read(ref _loopThreadId) != 0)
        {
            Stop();
            return;
        }

        ReleaseResources();
    }

    /// <summary>Validates the arguments of the <see cref="MultiplexerKind"/> constructor before the multiplexer opens its
    /// descriptor (a constructor chain evaluates this() arguments before the chained body can check anything).</summary>
    private static Multiplexer CreateMultiplexer(MultiplexerKind kind, int eventCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventCapacity);
        return Multiplexer.Create(kind);
    }

    /// <summary>Releases everything, once: from Dispose when no loop runs, else from the loop thread as it exits.</summary>
    private void ReleaseResources()
    {
        if (Interlocked.CompareExchange(ref _disposeState, Disposed, DisposeRequested) != DisposeRequested)
        {
            return;
        }

        LinuxIoMuxMetrics.Retire(this);
        _registrations.DeactivateAll(s_failWaiters);
        _parkedCount = 0;
        FailSpawned();
        _timers.Clear();
        _posted.Clear();
        _pendingRemovals.Clear();
        _multiplexer.Dispose();
        _waker.Dispose();
    }
}
