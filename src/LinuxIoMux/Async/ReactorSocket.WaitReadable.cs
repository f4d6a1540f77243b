namespace LinuxIoMux;

/// <summary>Waiting for data without a buffer: the reactor's zero-byte receive.</summary>
public sealed partial class ReactorSocket
{
    /// <summary>
    /// Completes when a receive may find something: at once unless the last receive drained the socket and nothing was
    /// reported since (<see cref="IsKnownDrained"/>), else at the next readable, hang-up or error report. No syscall
    /// either way, and the caller holds no buffer while it waits.
    /// </summary>
    /// <remarks>What a zero-byte recv(2) is for in Kestrel's Sockets transport (take a pool block only once data is
    /// there), without the extra syscall: the drained state already says a recv(2) would say EAGAIN.</remarks>
    /// <exception cref="ObjectDisposedException">This socket or its reactor is disposed (also while waiting).</exception>
    /// <exception cref="InvalidOperationException">A receive or accept is already pending, or off the loop thread.</exception>
    internal ValueTask<Readiness> WaitUntilReadableAsync()
    {
        ThrowIfUnusable();
        return IsKnownDrained ? _registration.WaitAsync(Interest.Readable) : default; // default: completed, nothing to wait for
    }
}
