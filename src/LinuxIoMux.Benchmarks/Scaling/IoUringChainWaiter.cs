namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// <see cref="IoUringMultiplexer"/> with every watched descriptor added once (readable, the index as token) and a
/// caller-owned event array of n entries: the io_uring counterpart of <see cref="EpollChainWaiter"/>. The multiplexer
/// is the lowest public layer over io_uring, so this column is the "bare" one.
/// </summary>
internal sealed class IoUringChainWaiter : IChainWaiter
{
    private readonly Chain _chain;
    private readonly IoUringMultiplexer _ring;
    private readonly ReadyEvent[] _events;

    internal IoUringChainWaiter(Chain chain)
    {
        _chain = chain;
        _ring = new IoUringMultiplexer();
        _events = new ReadyEvent[chain.Count];
        try
        {
            for (int i = 0; i < chain.Count; i++)
            {
                _ring.Add(chain.WatchedFd(i), Interest.Readable, (ulong)i);
            }
        }
        catch
        {
            _ring.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void WaitOnce()
    {
        int ready = _ring.Wait(_events, Timeout.InfiniteTimeSpan);
        for (int i = 0; i < ready; i++)
        {
            _chain.OnReadable((int)_events[i].Token);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _ring.Dispose();
}
