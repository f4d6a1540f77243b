using System.Net.Sockets;
using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// Accepts connections on a listening socket from a <see cref="Reactor"/>: on each readiness it calls accept4(2)
/// until the backlog is empty (at most <see cref="MaxAcceptsPerWakeup"/> times) and hands each new non-blocking
/// <see cref="Socket"/> to a callback. It survives running out of descriptors without a busy spin.
/// </summary>
/// <remarks>
/// <para><b>EMFILE / ENFILE.</b> When the process (or system) is out of descriptors, a pending connection stays in the
/// backlog and a level-triggered listener stays readable: a naive loop spins at 100% CPU. This type keeps one spare
/// descriptor (an eventfd) open. Out of descriptors, it closes the spare, accepts the connection into the freed slot,
/// closes that connection at once (the client sees it closed: shed, not stalled) and reopens the spare: the same trick
/// as libev and libuv (<c>uv__emfile_trick</c>). Every wake-up then makes progress. If the spare cannot be
/// reopened, the listener is unregistered and retried from a timer with exponential back-off (10 ms doubling to 1 s),
/// so the loop sleeps instead of spinning.</para>
/// <para>Per accept(2), the errors that belong to the connection rather than the listener (ECONNABORTED, EPROTO,
/// ENETDOWN, ...) are skipped like EAGAIN. ENOBUFS and ENOMEM are treated like EMFILE. Any other error is the
/// listener's own and permanent (EBADF: the listening socket was closed, EINVAL: it is not listening, ENOTSOCK): the
/// acceptor then stops listening (<see cref="IsListening"/> turns false) and throws once, so the reactor reports it
/// once instead of on every wake-up (poll and select keep reporting a closed descriptor until it is removed).</para>
/// <para>Runs on the reactor's loop thread; create and dispose it there (or before the loop starts). Disposing does
/// not close the listener.</para>
/// </remarks>
public sealed class Acceptor : IDisposable
{
    /// <summary>
    /// Accepts per readiness before yielding to the loop's other descriptors: 64, a fairness bound in the spirit of
    /// libuv's accept loop (which yields after each accept when others are waiting) without its syscall per yield.
    /// </summary>
    public const int MaxAcceptsPerWakeup = 64;

    /// <summary>10 ms: a transient shortage (a burst of closes pending) barely delays accepting.</summary>
    private static readonly TimeSpan s_initialBackoff = TimeSpan.FromMilliseconds(10);

    /// <summary>1 s: TCP's initial retransmission timeout (RFC 6298), so a waiting client is not outwaited by much.</summary>
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(1);

    private readonly Reactor _reactor;
    private readonly Socket _listener;
    private readonly SafeHandle _listenerHandle;
    private readonly Action<Socket> _onAccepted;
    private readonly Action _resume;
    private readonly Interest _interest;
    private Registration? _registration;
    private ReactorTimer? _resumeTimer;
    private TimeSpan _backoff = s_initialBackoff;
    private int _spareFd = -1;
    private bool _disposed;

    /// <summary>Starts accepting on <paramref name="listener"/> (bound and listening; made non-blocking here).</summary>
    /// <param name="reactor">The loop that waits for the listener.</param>
    /// <param name="listener">A listening stream socket; the caller keeps owning it.</param>
    /// <param name="onAccepted">Receives each accepted socket (non-blocking, close-on-exec) and owns it from then on.</param>
    /// <exception cref="ArgumentException"><paramref name="listener"/> is not listening (SO_ACCEPTCONN is 0: call
    /// <see cref="Socket.Listen()"/> first), checked before anything is registered.</exception>
    public Acceptor(Reactor reactor, Socket listener, Action<Socket> onAccepted)
        : this(reactor, listener, onAccepted, Interest.Readable)
    {
    }

    /// <param name="reactor">The loop that waits for the listener.</param>
    /// <param name="listener">A listening stream socket; the caller keeps owning it.</param>
    /// <param name="onAccepted">Receives each accepted socket.</param>
    /// <param name="interest">Readable, or with <see cref="Interest.Exclusive"/> for a listener that
    /// several loops share (ReactorGroup's <see cref="AcceptMode.Exclusive"/>).</param>
    internal Acceptor(Reactor reactor, Socket listener, Action<Socket> onAccepted, Interest interest)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(onAccepted);
        // accept4 on a socket that is not listening fails with EINVAL on every readiness: refuse it here instead.
        if (listener.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.AcceptConnection) is not int listening || listening == 0)
        {
            throw new ArgumentException("The socket is not listening (SO_ACCEPTCONN is 0): bind it and call Listen before creating an Acceptor.", nameof(listener));
        }

        _reactor = reactor;
        _listener = listener;
        _listenerHandle = listener.SafeHandle;
        _onAccepted = onAccepted;
        _resume = Resume;
        _interest = interest;
        _spareFd = OpenSpare();
        try
        {
            _registration = reactor.Register(listener, _interest, static (registration, _) => ((Acceptor)registration.State!).AcceptPending(), this);
        }
        catch
        {
            CloseSpare();
            throw;
        }
    }

    /// <summary>Connections handed to the callback.</summary>
    public long AcceptedCount { get; private set; }

    /// <summary>Connections accepted and closed at once because the process was out of descriptors.</summary>
    public long ShedCount { get; private set; }

    /// <summary>Times the listener was paused (spare descriptor unavailable) and retried from a back-off timer.</summary>
    public long PauseCount { get; private set; }

    /// <summary>True while the listener is registered (not paused, not disposed, not stopped by a listener failure).</summary>
    public bool IsListening => _registration is not null;

    /// <summary>
    /// Test seam: behave as if the descriptor table were full: accept4 fails with EMFILE unless the spare descriptor
    /// has just been closed (a real slot freed). Exhausting RLIMIT_NOFILE for real inside the test host is not
    /// reliable: the runtime itself needs descriptors to start threads (a pipe per thread), and crashes without them.
    /// </summary>
    internal bool SimulateDescriptorExhaustion { get; set; }

    /// <summary>Test seam: behave as if the spare descriptor could not be (re)opened.</summary>
    internal bool SimulateSpareUnavailable { get; set; }

    /// <summary>Stops accepting: unregisters the listener, cancels a pending retry and closes the spare descriptor.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _resumeTimer?.Cancel();
        _registration?.Dispose();
        _registration = null;
        CloseSpare();
    }

    private void AcceptPending()
    {
        for (int i = 0; i < MaxAcceptsPerWakeup && !_disposed; i++)
        {
            int fd = AcceptOne(slotFreed: false, out Errno errno);
            if (fd >= 0)
            {
                _backoff = s_initialBackoff;
                AcceptedCount++;
                HandOver(fd);
                continue;
            }

            switch (errno)
            {
                case Errno.EAGAIN:
                    return;
                case Errno.EMFILE or Errno.ENFILE or (Errno)105 /* ENOBUFS */ or Errno.ENOMEM:
                    OnDescriptorsExhausted();
                    return;
                case Errno.EINTR or (Errno)103 /* ECONNABORTED */ or (Errno)71 /* EPROTO */ or (Errno)100 /* ENETDOWN */
                    or (Errno)92 /* ENOPROTOOPT */ or (Errno)112 /* EHOSTDOWN */ or (Errno)64 /* ENONET */
                    or (Errno)113 /* EHOSTUNREACH */ or (Errno)95 /* EOPNOTSUPP */ or (Errno)101 /* ENETUNREACH */:
                    continue; // accept(2): a problem of that one connection; the listener is fine
                default:
                    throw ListenerFailed(errno);
            }
        }
    }

    /// <param name="slotFreed">True when called right after closing the spare (only the test seam needs it).</param>
    /// <param name="errno">The failure, when -1 is returned.</param>
    private unsafe int AcceptOne(bool slotFreed, out Errno errno)
    {
        if (SimulateDescriptorExhaustion && !slotFreed)
        {
            errno = Errno.EMFILE;
            return -1;
        }

        bool referenced = false;
        try
        {
            // SAFETY: keeps the listener's descriptor open (and its number unreused) for this one call.
            _listenerHandle.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            errno = Errno.EBADF; // the caller disposed the listening socket while it was still being accepted on
            return -1;
        }

        try
        {
            // SAFETY: the handle is referenced (above), so the number read here is the listener's until the release;
            // null address and length pointers are allowed by accept4(2), which then writes through neither.
            int fd = LibC.accept4((int)_listenerHandle.DangerousGetHandle(), null, null, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
            errno = fd >= 0 ? Errno.None : (Errno)Marshal.GetLastPInvokeError();
            return fd;
        }
        finally
        {
            if (referenced)
            {
                _listenerHandle.DangerousRelease(); // SAFETY: pairs with the successful AddRef above
            }
        }
    }

    /// <summary>A permanent failure of the listener itself: stop accepting, and return the one exception to report.</summary>
    private Exception ListenerFailed(Errno errno)
    {
        bool disposed = _listenerHandle.IsClosed;
        // SAFETY: the number is only formatted into the message, never passed to a syscall.
        string call = $"accept4(fd={_listenerHandle.DangerousGetHandle()})";
        Dispose();
        return disposed
            ? new ObjectDisposedException(nameof(Socket), "The listening socket was disposed before its Acceptor; the Acceptor stopped listening.")
            : new UnixException(errno, call);
    }

    private void HandOver(int fd)
    {
        Socket socket;
        try
        {
            socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
            socket.Blocking = false;
        }
        catch
        {
            _ = LibC.close(fd);
            throw;
        }

        try
        {
            _onAccepted(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void OnDescriptorsExhausted()
    {
        if (_spareFd >= 0)
        {
            CloseSpare();
            int fd = AcceptOne(slotFreed: true, out _);
            if (fd >= 0)
            {
                _ = LibC.close(fd);
                ShedCount++;
                Diagnostics.LinuxIoMuxMetrics.Shed();
            }

            _spareFd = SimulateSpareUnavailable ? -1 : OpenSpare();
            if (_spareFd >= 0)
            {
                return; // progress was made; if more connections wait, the next readiness sheds the next one
            }
        }

        Pause();
    }

    private void Pause()
    {
        PauseCount++;
        _registration?.Dispose();
        _registration = null;
        _resumeTimer = _reactor.Schedule(_backoff, _resume);
        _backoff = _backoff * 2 > s_maxBackoff ? s_maxBackoff : _backoff * 2;
    }

    private void Resume()
    {
        _resumeTimer = null;
        if (_disposed || _registration is not null)
        {
            return;
        }

        if (_spareFd < 0 && !SimulateSpareUnavailable)
        {
            _spareFd = OpenSpare();
        }

        try
        {
            _registration = _reactor.Register(_listener, _interest, static (registration, _) => ((Acceptor)registration.State!).AcceptPending(), this);
        }
        catch (UnixException e) when (e.Errno is Errno.EMFILE or Errno.ENFILE or Errno.ENOMEM)
        {
            Pause();
        }
    }

    /// <summary>The spare descriptor: an eventfd, the cheapest fd that needs no path and no filesystem.</summary>
    private static int OpenSpare() => LibC.eventfd(0, LibC.EFD_CLOEXEC);

    private void CloseSpare()
    {
        if (_spareFd >= 0)
        {
            _ = LibC.close(_spareFd);
            _spareFd = -1;
        }
    }
}
