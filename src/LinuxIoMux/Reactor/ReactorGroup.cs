using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux;

/// <summary>
/// N reactors, one per thread (<see cref="Environment.ProcessorCount"/> by default), each with its own listening
/// socket on the same address through SO_REUSEPORT, so the kernel spreads incoming connections across the loops and
/// no lock or hand-off is shared between them (the thread-per-core server shape).
/// </summary>
/// <remarks>
/// <para>SO_REUSEPORT (Linux 3.9) hashes each new connection's 4-tuple to one of the listeners: the load is balanced
/// statistically, not round-robin. A connection accepted by loop i lives on loop i for good: the callback receives
/// that loop's <see cref="Reactor"/> and should register the socket there.</para>
/// <para>With <see cref="ReactorGroupOptions.AcceptMode"/> = <see cref="AcceptMode.Exclusive"/> (epoll only) there is
/// one listener instead, registered by every loop with EPOLLEXCLUSIVE (Linux 4.5), so a new connection wakes one idle
/// loop rather than all of them; <see cref="ReactorGroupOptions.PinThreads"/> pins loop i to a CPU.</para>
/// <para>Each loop gets its own <see cref="Acceptor"/> (so each survives EMFILE on its own). The threads are
/// background threads named <c>reactor-0</c>, <c>reactor-1</c>, ... An exception that escapes a loop (a failing wait,
/// or an <see cref="UnhandledException"/> subscriber that throws) ends only that loop's thread. Its acceptor and
/// listener are then closed, so the kernel routes new connections to the live loops instead of queueing them where
/// nobody accepts; connections already waiting in that listener's backlog are reset (unless
/// <c>net.ipv4.tcp_migrate_req</c> is 1, Linux 5.14, which moves them to a live listener). The loss is reported
/// through <see cref="UnhandledException"/> with <see cref="UnhandledExceptionEventArgs.IsTerminating"/> true and
/// counted in <see cref="FaultedLoopCount"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// using var group = new ReactorGroup(MultiplexerKind.Epoll, new IPEndPoint(IPAddress.Any, 7000),
///     (reactor, socket) =&gt; reactor.Register(socket, Interest.Readable, OnReadable, new Connection(socket)));
/// group.Start();
/// </code>
/// </example>
public sealed partial class ReactorGroup : IDisposable
{
    private const int SolSocket = 1;    // SOL_SOCKET, <asm-generic/socket.h>
    private const int SoReusePort = 15; // SO_REUSEPORT, <asm-generic/socket.h> (x86-64 and arm64 alike)

    private readonly Reactor[] _reactors;
    private readonly Socket[] _listeners;
    private readonly Acceptor[] _acceptors;
    private readonly Thread[] _threads;
    private readonly ReactorGroupOptions _options;
    private readonly int[]? _cpus;
    private readonly AsyncConnectionLoop[]? _asyncLoops; // null for a callback group
    private bool _started;
    private bool _disposed;
    private int _faultedLoopCount;

    /// <summary>Creates the loops and binds their listeners (not yet accepting: call <see cref="Start"/>).</summary>
    /// <param name="kind">The multiplexer every loop uses.</param>
    /// <param name="endpoint">Where to listen; port 0 picks a free port, shared by all the listeners.</param>
    /// <param name="onAccepted">Called on loop i's thread with loop i's reactor and each socket it accepted.</param>
    /// <param name="loopCount">Number of loops; 0 means <see cref="Environment.ProcessorCount"/>.</param>
    public ReactorGroup(MultiplexerKind kind, IPEndPoint endpoint, Action<Reactor, Socket> onAccepted, int loopCount = 0)
        : this(endpoint, onAccepted, new ReactorGroupOptions { Kind = kind, LoopCount = loopCount })
    {
    }

    /// <summary>Creates the loops and their listener(s) as <paramref name="options"/> say (not yet accepting: call <see cref="Start"/>).</summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="onAccepted">Called on loop i's thread with loop i's reactor and each socket it accepted.</param>
    /// <param name="options">Backend, loop count, <see cref="AcceptMode"/> and CPU pinning.</param>
    /// <exception cref="ArgumentException"><see cref="AcceptMode.Exclusive"/> with a backend other than epoll, or an
    /// unknown accept mode (checked before any socket is made).</exception>
    public ReactorGroup(IPEndPoint endpoint, Action<Reactor, Socket> onAccepted, ReactorGroupOptions options)
        : this(endpoint, options, onAccepted ?? throw new ArgumentNullException(nameof(onAccepted)), handler: null)
    {
    }

    /// <summary>The one constructor: exactly one of <paramref name="onAccepted"/> and <paramref name="handler"/> is set.</summary>
    private ReactorGroup(IPEndPoint endpoint, ReactorGroupOptions options, Action<Reactor, Socket>? onAccepted,
        Func<ReactorSocket, CancellationToken, Task>? handler)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.LoopCount, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ShutdownTimeout, TimeSpan.Zero, nameof(options));
        if (!Enum.IsDefined(options.AcceptMode))
        {
            throw new ArgumentException($"Unknown accept mode {options.AcceptMode}.", nameof(options));
        }

        bool exclusive = options.AcceptMode == AcceptMode.Exclusive;
        if (exclusive && options.Kind != MultiplexerKind.Epoll)
        {
            throw new ArgumentException(
                $"AcceptMode.Exclusive needs the epoll backend (EPOLLEXCLUSIVE); {options.Kind} would wake every loop. Use AcceptMode.ReusePort.",
                nameof(options));
        }

        _options = options;
        _cpus = options.PinThreads ? CpuAffinity.Allowed() : null;
        int count = options.LoopCount == 0 ? Environment.ProcessorCount : options.LoopCount;
        _reactors = new Reactor[count];
        _listeners = new Socket[exclusive ? 1 : count]; // Exclusive: one listener, shared by every loop
        _acceptors = new Acceptor[count];
        _threads = new Thread[count];
        _asyncLoops = handler is null ? null : new AsyncConnectionLoop[count];
        Interest interest = exclusive ? Interest.Readable | Interest.Exclusive : Interest.Readable;
        try
        {
            IPEndPoint bindTo = endpoint;
            for (int i = 0; i < count; i++)
            {
                _reactors[i] = new Reactor(options.Kind);
                _reactors[i].UnhandledException += Forward;
                if (i < _listeners.Length)
                {
                    _listeners[i] = Listen(bindTo, reusePort: !exclusive);
                    bindTo = (IPEndPoint)_listeners[i].LocalEndPoint!; // port 0 resolved by the first bind
                }

                Reactor reactor = _reactors[i];
                Action<Socket> accepted;
                if (_asyncLoops is not null)
                {
                    _asyncLoops[i] = new AsyncConnectionLoop(reactor, handler!, options.ShutdownTimeout, ReportHandlerFailure);
                    accepted = _asyncLoops[i].Accept;
                }
                else
                {
                    accepted = socket => onAccepted!(reactor, socket);
                }

                _acceptors[i] = new Acceptor(reactor, ListenerOf(i), accepted, interest);
                int index = i;
                _threads[i] = new Thread(() => RunLoop(index)) { IsBackground = true, Name = $"reactor-{i}" };
            }

            LocalEndPoint = bindTo;
        }
        catch
        {
            DisposeResources();
            throw;
        }
    }

    /// <summary>
    /// Raised (on a loop thread) for exceptions from callbacks (<see cref="UnhandledExceptionEventArgs.IsTerminating"/>
    /// false: the loop goes on), and for one that ended a loop (IsTerminating true: that loop's listener is closed).
    /// </summary>
    public event UnhandledExceptionEventHandler? UnhandledException;

    /// <summary>How connections reach the loops.</summary>
    public AcceptMode AcceptMode => _options.AcceptMode;

    /// <summary>The address all the listeners share (with the port chosen when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The loops, index i running on thread <c>reactor-i</c>.</summary>
    public IReadOnlyList<Reactor> Reactors => _reactors;

    /// <summary>How many loops have ended because an exception escaped them (their listeners are closed).</summary>
    public int FaultedLoopCount => Volatile.Read(ref _faultedLoopCount);

    /// <summary>The acceptors, for their counters (read them from their loop, or after <see cref="Stop"/>).</summary>
    public IReadOnlyList<Acceptor> Acceptors => _acceptors;

    /// <summary>Starts one thread per loop.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            throw new InvalidOperationException("The group was already started.");
        }

        _started = true;
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i].Start();
        }
    }

    /// <summary>
    /// Stops every loop and waits for its thread to return. Idempotent. Before <see cref="Start"/> it does nothing (no
    /// stop request is left pending for the loops a later Start runs). A stopped group cannot be started again.
    /// </summary>
    /// <remarks>With async handlers, each loop first stops accepting, cancels the handlers' token and disposes their
    /// open sockets (pending awaits end with <see cref="ObjectDisposedException"/>, not reported), and stops once every
    /// handler has returned or <see cref="ReactorGroupOptions.ShutdownTimeout"/> has passed.</remarks>
    public void Stop()
    {
        if (!_started)
        {
            return;
        }

        RequestStop();

        foreach (Thread thread in _threads)
        {
            if (thread.ThreadState != ThreadState.Unstarted && thread != Thread.CurrentThread)
            {
                thread.Join();
            }
        }
    }

    /// <summary>
    /// Stops the loops, then closes the acceptors, the listeners and the reactors. Sockets accepted for a callback stay
    /// the callback's; those of async handlers were closed by <see cref="Stop"/>.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop();
        _disposed = true;
        DisposeResources();
    }

    private static Socket Listen(IPEndPoint endpoint, bool reusePort)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (reusePort)
            {
                listener.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            listener.Bind(endpoint);
            listener.Listen(); // backlog: SOMAXCONN as the kernel clamps it (net.core.somaxconn)
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Loop i's listener: its own (ReusePort), or the one they all share (Exclusive).</summary>
    private Socket ListenerOf(int index) => _listeners[_listeners.Length == 1 ? 0 : index];

    private void RunLoop(int index)
    {
        Reactor reactor = _reactors[index];
        try
        {
            if (_cpus is { Length: > 0 })
            {
                CpuAffinity.PinCurrentThread(_cpus[index % _cpus.Length]); // a failure ends this loop, reported below
            }

            reactor.Run();
        }
        catch (Exception exception)
        {
            // Nobody accepts on this listener any more: close it first, so the kernel stops routing connections into a
            // backlog that would never be served. The loop has returned, so this thread may dispose its acceptor. A
            // shared (Exclusive) listener stays open: unregistered from this loop, it wakes only the live ones.
            _acceptors[index].Dispose();
            _asyncLoops?[index].Abandon();
            if (_options.AcceptMode == AcceptMode.ReusePort)
            {
                _listeners[index].Dispose();
            }

            Interlocked.Increment(ref _faultedLoopCount);
            ReportLoopEnded(reactor, exception);
        }
    }

    private void ReportLoopEnded(Reactor reactor, Exception exception)
    {
        try
        {
            UnhandledException?.Invoke(reactor, new UnhandledExceptionEventArgs(exception, isTerminating: true));
        }
        catch (Exception subscriberFailure)
        {
            // A throwing subscriber must not take the process down with it (an exception escaping a thread does).
            Console.Error.WriteLine($"LinuxIoMux.ReactorGroup: a loop ended ({exception}); the UnhandledException subscriber then threw: {subscriberFailure}");
        }
    }

    private void Forward(object sender, UnhandledExceptionEventArgs e)
    {
        UnhandledExceptionEventHandler? handler = UnhandledException;
        if (handler is null)
        {
            Console.Error.WriteLine($"LinuxIoMux.ReactorGroup: unhandled exception in a callback (the loop continues): {e.ExceptionObject}");
            return;
        }

        handler(sender, e);
    }

    private void DisposeResources()
    {
        foreach (Acceptor? acceptor in _acceptors)
        {
            acceptor?.Dispose();
        }

        foreach (Socket? listener in _listeners)
        {
            listener?.Dispose();
        }

        foreach (Reactor? reactor in _reactors)
        {
            reactor?.Dispose();
        }
    }
}
