namespace LinuxIoMux;

/// <summary>
/// The <c>POLL*</c> bits of <c>pollfd.events</c> and <c>pollfd.revents</c> (poll(2)), with the values of
/// asm-generic/poll.h used by x86-64 and arm64 (checked against &lt;poll.h&gt; by <c>native/layout</c>).
/// </summary>
/// <remarks><see cref="Err"/>, <see cref="Hup"/> and <see cref="Nval"/> are output-only and always reported.</remarks>
[Flags]
public enum PollEvents : short
{
    /// <summary>No events.</summary>
    None = 0,
    /// <summary>POLLIN: data to read.</summary>
    In = 0x001,
    /// <summary>POLLPRI: exceptional condition (TCP out-of-band data).</summary>
    Pri = 0x002,
    /// <summary>POLLOUT: writing will not block.</summary>
    Out = 0x004,
    /// <summary>POLLERR: error condition (output only).</summary>
    Err = 0x008,
    /// <summary>POLLHUP: hang-up (output only).</summary>
    Hup = 0x010,
    /// <summary>POLLNVAL: the fd is not open (output only). poll reports it instead of failing the whole call.</summary>
    Nval = 0x020,
    /// <summary>POLLRDNORM: normal data to read.</summary>
    RdNorm = 0x040,
    /// <summary>POLLRDBAND: priority band data to read.</summary>
    RdBand = 0x080,
    /// <summary>POLLWRNORM: same as Out.</summary>
    WrNorm = 0x100,
    /// <summary>POLLWRBAND: priority data may be written.</summary>
    WrBand = 0x200,
    /// <summary>POLLRDHUP (Linux 2.6.17): the peer shut down its writing half.</summary>
    RdHup = 0x2000,
}
