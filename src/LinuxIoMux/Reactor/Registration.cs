namespace LinuxIoMux;

/// <summary>
/// A descriptor registered with a <see cref="Reactor"/>: change what it waits for with <see cref="Modify"/>, stop
/// with <see cref="Dispose"/>. Returned by <see cref="Reactor.Register(System.Runtime.InteropServices.SafeHandle, Interest, ReadinessHandler, object?)"/>.
/// </summary>
/// <remarks>
/// <para><b>What it holds.</b> The descriptor number, never the SafeHandle: a reference held for the registration's
/// lifetime would make <c>Socket.Dispose</c> spin forever (SafeSocketHandle waits for every reference to go;
/// dotnet/runtime#40301). So dispose the registration <em>before</em> closing the descriptor. (On epoll a descriptor
/// closed first is dropped by the kernel anyway; on poll it reports errors and on select EBADF until removed.)</para>
/// <para><b>Stale events.</b> The token given to the multiplexer carries this registration's slot and a generation.
/// Once disposed, an event already collected in the current batch for it is dropped, and so is one for a new
/// registration that reuses the same descriptor number or slot.</para>
/// <para><b>Threads.</b> Modify runs on the loop thread (inside handlers, timers and posted actions, or while the loop
/// is not running); from elsewhere, <see cref="Reactor.Post"/> it. Dispose works from any thread, never throws and is
/// idempotent: from another thread while the loop runs, no handler call starts after it returns and the loop removes
/// the descriptor from the multiplexer before its next wait (see <see cref="Reactor.Unregister"/>).</para>
/// </remarks>
public sealed partial class Registration : IDisposable
{
    private readonly Reactor _reactor;
    private volatile bool _isActive = true;

    internal Registration(Reactor reactor, int fd, int slot, uint generation, Interest interest, ReadinessHandler handler, object? state)
    {
        _reactor = reactor;
        Fd = fd;
        Slot = slot;
        Generation = generation;
        Interest = interest;
        Handler = handler;
        State = state;
    }

    /// <summary>The descriptor number (valid while the descriptor is open).</summary>
    public int Fd { get; }

    /// <summary>What the descriptor is currently registered for.</summary>
    public Interest Interest { get; internal set; }

    /// <summary>The caller's per-registration object (a connection, a buffer), handed back in every dispatch.</summary>
    public object? State { get; set; }

    /// <summary>False once disposed, once the reactor was disposed, or once a failed <see cref="Modify"/> made the
    /// multiplexer drop the descriptor. Any thread.</summary>
    public bool IsActive
    {
        get => _isActive;
        internal set => _isActive = value;
    }

    /// <summary>The reactor this registration belongs to.</summary>
    public Reactor Reactor => _reactor;

    internal int Slot { get; }

    internal uint Generation { get; }

    internal ReadinessHandler Handler { get; }

    /// <summary>Changes what the descriptor waits for (e.g. add <see cref="Interest.Writable"/> while output is queued).</summary>
    /// <exception cref="ObjectDisposedException">The registration was disposed.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    /// <exception cref="ArgumentException">An empty interest.</exception>
    /// <exception cref="NotSupportedException"><see cref="Interest.EdgeTriggered"/> on poll or select.</exception>
    /// <exception cref="UnixException">The kernel refused (epoll: the descriptor was closed); the registration is then
    /// disposed (<see cref="IsActive"/> false), since the multiplexer no longer watches the descriptor.</exception>
    public void Modify(Interest interest) => _reactor.Modify(this, interest);

    /// <summary>Unregisters the descriptor; the handler is not called again, even for events already collected. Any
    /// thread; never throws.</summary>
    public void Dispose() => _reactor.Unregister(this);

    /// <inheritdoc/>
    public override string ToString() => $"fd={Fd} {Interest}{(IsActive ? string.Empty : " (disposed)")}";
}
