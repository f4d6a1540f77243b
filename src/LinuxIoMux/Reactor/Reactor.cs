using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.InteropServices;

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
/// <see cref="Post"/>, <see cref="Stop"/> and <see cref="ReactorTimer.Cancel"/> on the loop thread (from handlers,
/// timers and posted actions, or before the loop starts).</para>
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
public sealed class Reactor : IDisposable
{
    /// <summary>
    /// Default ready-event buffer: 1024 entries (16 KiB), the same as .NET's SocketAsyncEngine (EventBufferCount):
    /// large enough that a wait rarely truncates under load, small enough to stay in L2.
    /// </summary>
    public const int DefaultEventCapacity = 1024;

    /// <summary>The waker's token: slot 0xFFFFFFFF is never handed out, so no registration token can equal it.</summary>
    private const ulong WakerToken = ulong.MaxValue;

    private readonly IMultiplexer _multiplexer;
    private readonly ReadyEvent[] _ready;
    private readonly Waker _waker = new();
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly TimerQueue _timers = new();

    private Registration?[] _slots = new Registration?[64];
    private uint[] _generations = new uint[64];
    private int[] _freeSlots = new int[64];
    private int _freeCount;
    private int _slotsUsed;

    private int _loopThreadId;
    private volatile bool _stopRequested;
    private bool _dispatching;
    private bool _disposed;

    /// <summary>Creates a reactor waiting with the given system call.</summary>
    /// <param name="kind">epoll, poll or select.</param>
    /// <param name="eventCapacity">Ready events handled per wait; more stay ready for the next (level-triggered) wait.</param>
    /// <exception cref="UnixException">The epoll fd or the eventfd could not be created (EMFILE, ENFILE).</exception>
    public Reactor(MultiplexerKind kind, int eventCapacity = DefaultEventCapacity)
        : this(Multiplexer.Create(kind), eventCapacity)
    {
    }

    /// <summary>Creates a reactor over a multiplexer it then owns (disposes).</summary>
    public Reactor(IMultiplexer multiplexer, int eventCapacity = DefaultEventCapacity)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(eventCapacity);
        _multiplexer = multiplexer;
        _ready = new ReadyEvent[eventCapacity];
        try
        {
            AddToMultiplexer(_waker.Handle, Interest.Readable, WakerToken);
        }
        catch
        {
            _waker.Dispose();
            _multiplexer.Dispose();
            throw;
        }
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
    public int RegistrationCount => _disposed ? 0 : _multiplexer.Count - 1;

    /// <summary>How many timers are scheduled and not yet run (cancelled ones may still be counted until dropped).</summary>
    public int PendingTimerCount => _timers.Count;

    /// <summary>True while <see cref="Run"/> or <see cref="RunOnce"/> is executing on some thread.</summary>
    public bool IsRunning => Volatile.Read(ref _loopThreadId) != 0;

    /// <summary>True on the thread currently running the loop.</summary>
    public bool IsOnLoopThread => Volatile.Read(ref _loopThreadId) == Environment.CurrentManagedThreadId;

    /// <summary>How many times the waker eventfd was actually written (Posts and Stops coalesce into fewer).</summary>
    internal long WakeSignals => _waker.Signals;

    /// <summary>
    /// Starts watching <paramref name="handle"/>'s descriptor for <paramref name="interest"/>; <paramref name="handler"/>
    /// runs on the loop thread when it is ready. The handle is referenced only during this call.
    /// </summary>
    /// <param name="handle">An open descriptor in non-blocking mode (a socket, pipe, eventfd, ...).</param>
    /// <param name="interest">Readable, Writable or both; EdgeTriggered on epoll only.</param>
    /// <param name="handler">Called with the registration and what is ready.</param>
    /// <param name="state">Stored in <see cref="Registration.State"/>.</param>
    /// <exception cref="ArgumentException">An invalid handle, an empty interest, or the descriptor is already registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException">select: the descriptor is 1024 or higher.</exception>
    /// <exception cref="NotSupportedException">EdgeTriggered on poll or select.</exception>
    /// <exception cref="ObjectDisposedException">The reactor or the handle is disposed.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    public Registration Register(SafeHandle handle, Interest interest, ReadinessHandler handler, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfUnusable();
        if (handle.IsInvalid)
        {
            throw new ArgumentException("The handle does not hold a descriptor.", nameof(handle));
        }

        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        int slot = TakeSlot();
        uint generation = _generations[slot];
        ulong token = (ulong)generation << 32 | (uint)slot;
        Registration registration;
        try
        {
            int fd = AddToMultiplexer(handle, interest, token);
            registration = new Registration(this, fd, slot, generation, interest, handler, state);
        }
        catch
        {
            ReturnSlot(slot);
            throw;
        }

        _slots[slot] = registration;
        return registration;
    }

    /// <summary>
    /// Registers a socket, first putting it in non-blocking mode (<c>Blocking = false</c>): a blocking call inside a
    /// handler would stall every other descriptor on the loop.
    /// </summary>
    /// <inheritdoc cref="Register(SafeHandle, Interest, ReadinessHandler, object?)"/>
    public Registration Register(Socket socket, Interest interest, ReadinessHandler handler, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Blocking = false;
        return Register(socket.SafeHandle, interest, handler, state);
    }

    /// <summary>
    /// Queues <paramref name="action"/> to run on the loop thread and wakes the loop (wakes from many posts coalesce
    /// into one eventfd write). Any thread. Actions run in posting order per thread, each exactly once, after the
    /// current batch of handlers and timers. Actions posted to a disposed reactor never run.
    /// </summary>
    public void Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _posted.Enqueue(action);
        _waker.Wake();
    }

    /// <summary>
    /// Runs <paramref name="callback"/> on the loop thread once <paramref name="delay"/> has passed (never earlier).
    /// The earliest timer bounds the loop's wait.
    /// </summary>
    /// <returns>A handle whose <see cref="ReactorTimer.Cancel"/> prevents the run.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative or infinite delay, or more than int.MaxValue ms.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs (Post the Schedule instead).</exception>
    public ReactorTimer Schedule(TimeSpan delay, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (delay < TimeSpan.Zero || delay.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A timer delay is between zero and int.MaxValue milliseconds.");
        }

        ThrowIfUnusable();
        return _timers.Add(delay, callback);
    }

    /// <summary>
    /// Runs the loop on the calling thread until <see cref="Stop"/> is called or <paramref name="cancellationToken"/>
    /// is cancelled. A Stop issued before Run starts makes it return at once (the request is consumed when Run returns).
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop already runs (on any thread), or called from a handler.</exception>
    /// <exception cref="UnixException">The wait itself failed (exceptions from callbacks are reported, not thrown).</exception>
    public void Run(CancellationToken cancellationToken = default)
    {
        EnterLoop();
        try
        {
            using CancellationTokenRegistration onCancel = cancellationToken.UnsafeRegister(static state => ((Reactor)state!).Stop(), this);
            while (!_stopRequested)
            {
                Iterate(Timeout.InfiniteTimeSpan);
            }

            _stopRequested = false;
        }
        finally
        {
            ExitLoop();
        }
    }

    /// <summary>
    /// Waits once (at most <paramref name="timeout"/>, less if a timer is due sooner, zero if actions are posted),
    /// then dispatches ready handlers, due timers and posted actions.
    /// </summary>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits until something happens.</param>
    /// <returns>How many callbacks ran (handlers, timers, posted actions).</returns>
    /// <exception cref="InvalidOperationException">The loop already runs (on any thread), or called from a handler.</exception>
    /// <exception cref="UnixException">The wait itself failed (exceptions from callbacks are reported, not thrown).</exception>
    public int RunOnce(TimeSpan timeout)
    {
        EnterLoop();
        try
        {
            return Iterate(timeout);
        }
        finally
        {
            ExitLoop();
        }
    }

    /// <summary>Makes <see cref="Run"/> return after the current iteration. Any thread; idempotent.</summary>
    public void Stop()
    {
        _stopRequested = true;
        try
        {
            _waker.Wake();
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: there is no loop left to wake.
        }
    }

    /// <summary>
    /// Closes the multiplexer and the waker. Registrations become inactive; their descriptors stay open (the caller
    /// owns them). Pending timers and posted actions are dropped.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loop is running on another thread: Stop it and let Run return first.</exception>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        int loop = Volatile.Read(ref _loopThreadId);
        if (loop != 0 && loop != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("The reactor is running on another thread; call Stop and wait for Run to return before disposing it.");
        }

        _disposed = true;
        for (int slot = 0; slot < _slotsUsed; slot++)
        {
            if (_slots[slot] is { } registration)
            {
                registration.IsActive = false;
                _slots[slot] = null;
            }
        }

        _timers.Clear();
        _posted.Clear();
        _multiplexer.Dispose();
        _waker.Dispose();
    }

    /// <summary>Changes what <paramref name="registration"/> waits for (same as <see cref="Registration.Modify"/>).</summary>
    /// <exception cref="ObjectDisposedException">The registration or the reactor was disposed.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    /// <exception cref="ArgumentException">An empty interest, or a registration of another reactor.</exception>
    /// <exception cref="NotSupportedException"><see cref="Interest.EdgeTriggered"/> on poll or select.</exception>
    public void Modify(Registration registration, Interest interest)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!ReferenceEquals(registration.Reactor, this))
        {
            throw new ArgumentException("The registration belongs to another reactor.", nameof(registration));
        }

        ThrowIfUnusable();
        if (!IsCurrent(registration))
        {
            throw new ObjectDisposedException(nameof(Registration), "The registration was disposed.");
        }

        _multiplexer.Modify(registration.Fd, interest, (ulong)registration.Generation << 32 | (uint)registration.Slot);
        registration.Interest = interest;
    }

    /// <summary>
    /// Stops watching the registration's descriptor (same as <see cref="Registration.Dispose"/>): its handler is not
    /// called again, not even for an event already collected in the current batch. Idempotent; the descriptor stays open.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    public void Unregister(Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (_disposed || !IsCurrent(registration))
        {
            return;
        }

        ThrowIfOffLoopThread();
        int slot = registration.Slot;
        registration.IsActive = false;
        _slots[slot] = null;
        // The generation moves on, so an event for this slot already in the current batch no longer matches.
        unchecked
        {
            _generations[slot]++;
        }

        ReturnSlot(slot);
        _multiplexer.Remove(registration.Fd);
    }

    /// <summary>One loop iteration: wait, handlers, timers, posted actions.</summary>
    private int Iterate(TimeSpan timeout)
    {
        TimeSpan wait = !_posted.IsEmpty || _stopRequested ? TimeSpan.Zero : _timers.TimeUntilNext(timeout);
        int ready = _multiplexer.Wait(_ready, wait);
        int callbacks = 0;
        _dispatching = true;
        try
        {
            for (int i = 0; i < ready; i++)
            {
                ReadyEvent e = _ready[i];
                if (e.Token == WakerToken)
                {
                    _waker.Acknowledge();
                    continue;
                }

                int slot = (int)(uint)e.Token;
                Registration? registration = (uint)slot < (uint)_slotsUsed ? _slots[slot] : null;
                if (registration is null || _generations[slot] != (uint)(e.Token >> 32))
                {
                    continue; // disposed earlier in this batch, or the slot was reused: a stale event
                }

                callbacks++;
                try
                {
                    registration.Handler(registration, e.Readiness.FoldedInto(registration.Interest));
                }
                catch (Exception exception)
                {
                    Report(exception);
                }
            }

            callbacks += RunDueTimers();
            callbacks += RunPosted();
        }
        finally
        {
            _dispatching = false;
        }

        return callbacks;
    }

    private int RunDueTimers()
    {
        if (_timers.Count == 0)
        {
            return 0;
        }

        int ran = 0;
        long now = TimerQueue.Now;
        long sequenceLimit = _timers.NextSequence;
        while (_timers.TryTakeDue(now, sequenceLimit, out ReactorTimer? timer))
        {
            ran++;
            try
            {
                timer!.Callback();
            }
            catch (Exception exception)
            {
                Report(exception);
            }
        }

        return ran;
    }

    private int RunPosted()
    {
        // Bounded by what was queued when the drain started, so an action that posts again cannot starve I/O.
        int budget = _posted.Count;
        int ran = 0;
        while (ran < budget && _posted.TryDequeue(out Action? action))
        {
            ran++;
            try
            {
                action();
            }
            catch (Exception exception)
            {
                Report(exception);
            }
        }

        return ran;
    }

    private void Report(Exception exception)
    {
        UnhandledExceptionEventHandler? handler = UnhandledException;
        if (handler is null)
        {
            Console.Error.WriteLine($"LinuxIoMux.Reactor: unhandled exception in a callback (the loop continues): {exception}");
            return;
        }

        handler(this, new UnhandledExceptionEventArgs(exception, isTerminating: false));
    }

    /// <summary>Adds the descriptor under a reference held only for the epoll_ctl (or table update) itself.</summary>
    private int AddToMultiplexer(SafeHandle handle, Interest interest, ulong token)
    {
        bool referenced = false;
        // SAFETY: the reference keeps the descriptor open, so its number cannot be closed and reused between reading
        // it and the kernel registering it. It is released before returning: never held for the registration's
        // lifetime, which would make Socket.Dispose spin (dotnet/runtime#40301).
        handle.DangerousAddRef(ref referenced);
        try
        {
            // SAFETY: read while referenced (above); only the number is kept.
            int fd = EpollHandle.DescriptorOf(handle);
            _multiplexer.Add(fd, interest, token);
            return fd;
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease(); // SAFETY: pairs with the successful AddRef above
            }
        }
    }

    private bool IsCurrent(Registration registration) =>
        ReferenceEquals(registration.Reactor, this)
        && registration.IsActive
        && ReferenceEquals(_slots[registration.Slot], registration);

    private int TakeSlot()
    {
        if (_freeCount > 0)
        {
            return _freeSlots[--_freeCount];
        }

        if (_slotsUsed == _slots.Length)
        {
            int capacity = _slots.Length * 2;
            Array.Resize(ref _slots, capacity);
            Array.Resize(ref _generations, capacity);
            Array.Resize(ref _freeSlots, capacity);
        }

        return _slotsUsed++;
    }

    private void ReturnSlot(int slot) => _freeSlots[_freeCount++] = slot;

    private void EnterLoop()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int me = Environment.CurrentManagedThreadId;
        if (_dispatching && Volatile.Read(ref _loopThreadId) == me)
        {
            throw new InvalidOperationException("Run and RunOnce cannot be called from inside a handler, timer or posted action.");
        }

        if (Interlocked.CompareExchange(ref _loopThreadId, me, 0) != 0)
        {
            throw new InvalidOperationException("The reactor loop is already running on another thread.");
        }
    }

    private void ExitLoop() => Volatile.Write(ref _loopThreadId, 0);

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfOffLoopThread();
    }

    private void ThrowIfOffLoopThread()
    {
        int loop = Volatile.Read(ref _loopThreadId);
        if (loop != 0 && loop != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                "Registrations and timers belong to the loop thread while the reactor runs; use Post to run this call there.");
        }
    }
}
