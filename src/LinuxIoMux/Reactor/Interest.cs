namespace LinuxIoMux;

/// <summary>
/// What a registration waits for: <see cref="Readable"/>, <see cref="Writable"/> or both, optionally
/// <see cref="EdgeTriggered"/> (epoll only).
/// </summary>
/// <remarks>
/// <para>At least one of <see cref="Readable"/> and <see cref="Writable"/> is required. Hang-up and error are always
/// reported (the kernel reports them unrequested on every backend), so they are not interests.</para>
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
}
