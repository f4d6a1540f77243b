namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>The transports the Kestrel tests host the sample's app on.</summary>
public enum KestrelTransport
{
    /// <summary>Kestrel's own Sockets transport, the reference.</summary>
    Sockets,

    /// <summary>LinuxIoMux on epoll, Kestrel's code inline on the loops.</summary>
    EpollInline,

    /// <summary>LinuxIoMux on epoll, Kestrel's code on the thread pool.</summary>
    EpollThreadPool,

    /// <summary>LinuxIoMux on poll, inline.</summary>
    PollInline,

    /// <summary>LinuxIoMux on select, inline.</summary>
    SelectInline,

    /// <summary>LinuxIoMux on io_uring, inline (skipped where io_uring is unavailable).</summary>
    IoUringInline,
}
