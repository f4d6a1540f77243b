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
/// by the next wait (they are still ready: level-triggered): each scan of the results resumes one past the entry
/// where the previous one stopped, so every ready descriptor is reported within ceil(ready / buffer) waits.</para>
/// </remarks>
public sealed class PollMultiplexer : Multiplexer
{
    private readonly PollSet _set = new();

    /// <summary>The entry the next result scan starts at (one past the last entry the previous scan reported).</summary>
    private int _scanStart;

    /// <inheritdoc/>
    public override MultiplexerKind Kind => MultiplexerKind.Poll;

    private protected override void AddToKernel(int fd, Interest interest, ulong token) => _set.Add(fd, PollEventMapping.ToPoll(interest));

    private protected override void ModifyInKernel(int fd, Interest interest, ulong token) => _set.Modify(fd, PollEventMapping.ToPoll(interest));

    private protected override void RemoveFromKernel(int fd, Interest interest) => _set.Remove(fd);

    private protected override int WaitCore(Span<ReadyEvent> events, TimeSpan timeout)
    {
        int ready = _set.Wait(timeout);
        if (ready == 0)
        {
            return 0;
        }

        // Resume the scan where the previous one stopped: restarting at entry 0 would hand a full buffer to the same
        // first entries every wait and starve the rest for as long as those stay ready (level-triggered).
        ReadOnlySpan<PollFd> entries = _set.Entries;
        int start = _scanStart < entries.Length ? _scanStart : 0;
        int written = 0;
        int seen = 0;
        for (int n = 0; n < entries.Length; n++)
        {
            int index = start + n < entries.Length ? start + n : start + n - entries.Length;
            PollEvents returned = entries[index].ReturnedEvents;
            if (returned == PollEvents.None)
            {
                continue;
            }

            seen++;
            if (TryGetRegistration(entries[index].Fd, out _, out ulong token))
            {
                events[written++] = new ReadyEvent(token, PollEventMapping.ToReadiness(returned));
            }

            if (written == events.Length || seen == ready)
            {
                _scanStart = index + 1;
                break;
            }
        }

        return written;
    }

    private protected override void DisposeCore() => _set.Dispose();
}
