namespace LinuxIoMux;

/// <summary>
/// The <c>EPOLL*</c> bits of <c>epoll_event.events</c> (epoll_ctl(2)), with the kernel's values
/// (checked against &lt;sys/epoll.h&gt; by <c>native/layout</c>).
/// </summary>
/// <remarks>
/// <see cref="Err"/> and <see cref="Hup"/> are always reported and need not be requested.
/// The last four are input-only flags that change how an fd is registered.
/// </remarks>
[Flags]
public enum EpollEvents : uint
{
    /// <summary>No events.</summary>
    None = 0,
    /// <summary>EPOLLIN: data to read (or a connection to accept, or the peer closed).</summary>
    In = 0x001,
    /// <summary>EPOLLPRI: exceptional condition, e.g. TCP out-of-band data.</summary>
    Pri = 0x002,
    /// <summary>EPOLLOUT: writing will not block.</summary>
    Out = 0x004,
    /// <summary>EPOLLERR: error condition (always reported; e.g. a TCP reset, or the read end of a pipe closed).</summary>
    Err = 0x008,
    /// <summary>EPOLLHUP: hang-up (always reported; both directions closed).</summary>
    Hup = 0x010,
    /// <summary>EPOLLRDNORM: normal data to read (same as In for sockets).</summary>
    RdNorm = 0x040,
    /// <summary>EPOLLRDBAND: priority band data to read.</summary>
    RdBand = 0x080,
    /// <summary>EPOLLWRNORM: writing will not block (same as Out for sockets).</summary>
    WrNorm = 0x100,
    /// <summary>EPOLLWRBAND: priority data may be written.</summary>
    WrBand = 0x200,
    /// <summary>EPOLLMSG: unused by Linux.</summary>
    Msg = 0x400,
    /// <summary>EPOLLRDHUP: the peer shut down its writing half (Linux 2.6.17).</summary>
    RdHup = 0x2000,
    /// <summary>
    /// EPOLLEXCLUSIVE (Linux 4.5): wake one of several epoll fds waiting on the same target. ADD only, and only
    /// with In, Out, Err, Hup, WakeUp and EdgeTriggered; never with OneShot.
    /// </summary>
    Exclusive = 1u << 28,
    /// <summary>EPOLLWAKEUP: hold a wakeup source while the event is pending (needs CAP_BLOCK_SUSPEND, else ignored).</summary>
    WakeUp = 1u << 29,
    /// <summary>EPOLLONESHOT: disable the fd after one event; re-arm it with Modify.</summary>
    OneShot = 1u << 30,
    /// <summary>EPOLLET: edge-triggered: report a change once; the caller must drain until EAGAIN.</summary>
    EdgeTriggered = 1u << 31,
}
