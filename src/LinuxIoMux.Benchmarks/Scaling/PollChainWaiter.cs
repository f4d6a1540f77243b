namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// <see cref="PollSet"/> holding every watched descriptor (POLLIN) in index order; each wait scans the entries for
/// non-zero revents until it has seen as many as poll counted, as native/scaling does.
/// </summary>
internal sealed class PollChainWaiter : IChainWaiter
{
    private readonly Chain _chain;
    private readonly PollSet _set;

    internal PollChainWaiter(Chain chain)
    {
        _chain = chain;
        _set = new PollSet(chain.Count);
        try
        {
            for (int i = 0; i < chain.Count; i++)
            {
                _set.Add(chain.WatchedFd(i), PollEvents.In);
            }
        }
        catch
        {
            _set.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void WaitOnce()
    {
        int remaining = _set.Wait(timeoutMilliseconds: -1);
        // Nothing is removed, so entry i is still the descriptor added i-th (PollSet only reorders on Remove).
        ReadOnlySpan<PollFd> entries = _set.Entries;
        for (int i = 0; i < entries.Length && remaining > 0; i++)
        {
            if (entries[i].ReturnedEvents != PollEvents.None)
            {
                remaining--;
                _chain.OnReadable(i);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _set.Dispose();
}
