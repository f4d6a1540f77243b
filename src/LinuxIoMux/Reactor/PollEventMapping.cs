namespace LinuxIoMux;

/// <summary>
/// Interest to poll(2) events and poll events to <see cref="Readiness"/>, shared by the two backends that speak poll's
/// bits: <see cref="PollMultiplexer"/> and <see cref="IoUringMultiplexer"/> (IORING_OP_POLL_ADD takes and returns the
/// same mask).
/// </summary>
internal static class PollEventMapping
{
    /// <summary>The poll(2) events an interest asks for (Readable includes POLLRDHUP, so a half-close is reported).</summary>
    internal static PollEvents ToPoll(Interest interest)
    {
        PollEvents events = PollEvents.None;
        if ((interest & Interest.Readable) != 0)
        {
            events |= PollEvents.In | PollEvents.RdHup;
        }

        if ((interest & Interest.Writable) != 0)
        {
            events |= PollEvents.Out;
        }

        if ((interest & Interest.Priority) != 0)
        {
            events |= PollEvents.Pri;
        }

        return events;
    }

    /// <summary>What poll(2)'s revents (or an io_uring poll completion's mask) report, as a <see cref="Readiness"/>.</summary>
    internal static Readiness ToReadiness(PollEvents events) => Readiness.From(
        readable: (events & PollEvents.In) != 0,
        writable: (events & PollEvents.Out) != 0,
        readClosed: (events & (PollEvents.Hup | PollEvents.RdHup)) != 0,
        writeClosed: (events & (PollEvents.Hup | PollEvents.Err | PollEvents.Nval)) != 0,
        error: (events & (PollEvents.Err | PollEvents.Nval)) != 0,
        priority: (events & PollEvents.Pri) != 0);
}
