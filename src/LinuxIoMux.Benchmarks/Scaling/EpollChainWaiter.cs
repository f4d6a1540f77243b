namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// <see cref="EpollHandle"/> with every watched descriptor added once (EPOLLIN, level-triggered, the index as data)
/// and a caller-owned event array of n entries, as native/scaling does.
/// </summary>
internal sealed class EpollChainWaiter : IChainWaiter
{
    private readonly Chain _chain;
    private readonly EpollHandle _epoll;
    private readonly EpollEvent[] _events;

    internal EpollChainWaiter(Chain chain)
    {
        _chain = chain;
        _epoll = EpollHandle.Create();
        _events = new EpollEvent[chain.Count];
        try
        {
            for (int i = 0; i < chain.Count; i++)
            {
                _epoll.Add(chain.WatchedFd(i), EpollEvents.In, (ulong)i);
            }
        }
        catch
        {
            _epoll.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void WaitOnce()
    {
        int ready = _epoll.Wait(_events, timeoutMilliseconds: -1);
        for (int i = 0; i < ready; i++)
        {
            _chain.OnReadable((int)_events[i].Data);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _epoll.Dispose();
}
