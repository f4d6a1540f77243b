namespace LinuxIoMux.AspNetCore;

/// <summary>Where Kestrel's code for a connection (HTTP parsing, middleware, endpoints) runs.</summary>
public enum ApplicationScheduling
{
    /// <summary>
    /// On the connection's loop thread, continuations inline when readiness completes them (thread-per-core): no
    /// thread-pool hop per request, but application code that blocks stalls every connection of that loop.
    /// </summary>
    Inline,

    /// <summary>
    /// On the .NET thread pool, as with Kestrel's Sockets transport; the loop only moves bytes. Safe for blocking
    /// application code, at the cost of a hand-off per read and per flush.
    /// </summary>
    ThreadPool,
}
