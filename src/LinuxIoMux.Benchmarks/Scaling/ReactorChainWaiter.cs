namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// A <see cref="Reactor"/> on one multiplexer with one registration per watched descriptor; each wait is one
/// <see cref="Reactor.RunOnce"/>, whose handlers read and pass the byte on. Measures what the reactor's bookkeeping
/// (tokens, slots, handler dispatch) adds to the bare wrapper of the same system call.
/// </summary>
internal sealed class ReactorChainWaiter : IChainWaiter
{
    private readonly Reactor _reactor;
    private readonly Registration[] _registrations;

    internal ReactorChainWaiter(Chain chain, MultiplexerKind kind)
    {
        _reactor = new Reactor(kind);
        _registrations = new Registration[chain.Count];
        try
        {
            for (int i = 0; i < chain.Count; i++)
            {
                _registrations[i] = _reactor.Register(chain.WatchedHandle(i), Interest.Readable, OnReadable, new Entry(chain, i));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void WaitOnce() => _reactor.RunOnce(Timeout.InfiniteTimeSpan);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Registration? registration in _registrations)
        {
            registration?.Dispose();
        }

        _reactor.Dispose();
    }

    private static void OnReadable(Registration registration, Readiness readiness)
    {
        var entry = (Entry)registration.State!;
        entry.Chain.OnReadable(entry.Index);
    }

    /// <summary>Per-registration state, allocated once at setup so dispatch allocates nothing.</summary>
    private sealed record Entry(Chain Chain, int Index);
}
