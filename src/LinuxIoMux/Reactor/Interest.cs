namespace LinuxIoMux;

/// <summary>
/// What a registration waits for: <see cref="Readable"/>, <see cref="Writable"/>, <see cref="Priority"/> (at least
/// one of them), optionally <see cref="EdgeTriggered"/>, <see cref="OneShot"/> or <see cref="Exclusive"/> (epoll only).
/// </summary>
/// <remarks>
/// <para>At least one of <see cref="Readable"/>, <see cref="Writable"/> and <see cref="Priority"/> is required.
/// Hang-up and error are always reported (the kernel reports them unrequested on every backend), so they are not
/// interests.</para>
/// <para><b>One-shot</b> (<see cref="OneShot"/>, epoll only; EPOLLONESHOT): after one report the descriptor is disarmed
/// until <see cref="Registration.Modify"/> re-arms it: the shape for handing a descriptor to other code and not
/// hearing of it until that code is done. poll and select reject it like edge-triggered.</para>
/// <para><b>Level-triggered</b> (the default, and the only mode of poll and select): a descriptor is reported by every
/// wait while it stays ready. A handler may read a little and come back later.</para>
/// <para><b>Edge-triggered</b> (<see cref="EdgeTriggered"/>, <see cref="MultiplexerKind.Epoll"/> only; EPOLLET): a
/// descriptor is reported once per change. The handler must read (or write) until the call would block before it
/// returns, or it will not hear about that descriptor again. The poll and select multiplexers reject the flag with
/// <see cref="NotSupportedException"/> rather than silently giving level-triggered behaviour.</para>
/// </remarks>
[Flags]
public enum Interest
{
    /// <summary>Nothing; not accepted by Add or Modify.</summary>
    None = 0,

    /// <summary>Wake when reading will not block (data, end of stream, a pending connection on a listener).</summary>
    Readable = 1,

    /// <summary>Wake when writing will not block (room in the send buffer, a connect that completed).</summary>
    Writable = 2,

    /// <summary>Report each readiness change once instead of while it lasts (EPOLLET). Epoll backend only.</summary>
    EdgeTriggered = 4,

    /// <summary>Wake when priority data is waiting (EPOLLPRI, POLLPRI, select's except set): TCP urgent data, and the
    /// change notifications of files such as cgroup <c>memory.events</c> or <c>/proc/self/mounts</c>.</summary>
    Priority = 8,

    /// <summary>Report once, then stay disarmed until <see cref="Registration.Modify"/> (EPOLLONESHOT). Epoll backend only.</summary>
    OneShot = 16,

    /// <summary>
    /// When several epoll instances (several reactors) wait on the same descriptor, wake only one of them (or a few)
    /// instead of all (EPOLLEXCLUSIVE, Linux 4.5): a listener shared by N loops without the thundering herd. Epoll
    /// backend only; registration only (the kernel refuses it on modify, so such a registration cannot be modified:
    /// dispose it and register again); not with <see cref="OneShot"/>; read hang-up is then not reported.
    /// </summary>
    Exclusive = 32,
}
