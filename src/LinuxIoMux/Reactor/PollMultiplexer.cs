namespace LinuxIoMux;

/// <summary>
/// <see cref="IMultiplexer"/> over poll(2) through a <see cref="PollSet"/>: level-triggered only, a wait scans every
/// registered descriptor (O(registered)), no limit on descriptor numbers.
/// </summary>
/// <remarks>
/// <para>Readable registers POLLIN | POLLRDHUP, writable POLLOUT; POLLERR, POLLHUP and POLLNVAL are always reported.
/// A descriptor closed while registered is reported as an error (POLLNVAL) on every wait until it is removed.</para>
/// <para>The ready entries are mapped back to tokens through the shared fd table: one dictionary lookup per ready
/// descriptor, no allocation. When more descriptors are ready than the caller's buffer holds, the rest are reported
/// by the next wait (they are still ready: level-triggered).</para>
/// </remarks>
public sealed class PollMultiplexer : Multiplexer
{
    private readonly PollSet _set = new();

    /// <inheritdoc/>
    public override MultiplexerKind Kind => MultiplexerKind.Poll;

    private protected override void AddToKernel(int fd, Interest interest, ulong token) => _set.Add(fd, ToPoll(interest));

    private protected override void ModifyInKernel(int fd, Interest interest, ulong token) => _set.Modify(fd, ToPoll(interest));

    private protected override void RemoveFromKernel(int fd, Interest interest) => _set.Remove(fd);

    private protected override int WaitCore(Span<ReadyEvent> events, TimeSpan timeout)
    {
        int ready = _set.Wait(timeout);
        if (ready == 0)
        {
            return 0;
        }

        int written = 0;
        foreach (PollFd entry in _set.Entries)
        {
            PollEvents returned = entry.ReturnedEvents;
            if (returned == PollEvents.None || !TryGetRegistration(entry.Fd, out _, out ulong token))
            {
                continue;
            }

            events[written++] = new ReadyEvent(token, ToReadiness(returned));
            if (written == events.Length || written == ready)
            {
                break;
            }
        }

        return written;
    }

    private protected override void DisposeCore() => _set.Dispose();

    private static PollEvents ToPoll(Interest interest)
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

        return events;
    }

    private static Readiness ToReadiness(PollEvents events) => new(
        readable: (events & (PollEvents.In | PollEvents.Pri)) != 0,
        writable: (events & PollEvents.Out) != 0,
        hangUp: (events & (PollEvents.Hup | PollEvents.RdHup)) != 0,
        error: (events & (PollEvents.Err | PollEvents.Nval)) != 0);
}
