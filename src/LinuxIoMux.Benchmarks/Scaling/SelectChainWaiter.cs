namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// <see cref="Select.Wait(ref FdSet, ref FdSet, ref FdSet, int)"/>: the watched set is copied into the read set
/// before each call (select overwrites it), then every entry is tested, as native/scaling does.
/// </summary>
internal sealed class SelectChainWaiter : IChainWaiter
{
    private readonly Chain _chain;
    private readonly int[] _fds;
    private FdSet _watched;

    /// <exception cref="ArgumentOutOfRangeException">A watched descriptor is 1024 or above (FD_SETSIZE).</exception>
    internal SelectChainWaiter(Chain chain)
    {
        _chain = chain;
        _fds = new int[chain.Count];
        for (int i = 0; i < chain.Count; i++)
        {
            _fds[i] = chain.WatchedFd(i);
            _watched.Set(_fds[i]);
        }
    }

    /// <inheritdoc/>
    public void WaitOnce()
    {
        FdSet read = _watched;
        FdSet write = default;
        FdSet except = default;
        int remaining = Select.Wait(ref read, ref write, ref except, timeoutMilliseconds: -1);
        for (int i = 0; i < _fds.Length && remaining > 0; i++)
        {
            if (read.IsSet(_fds[i]))
            {
                remaining--;
                _chain.OnReadable(i);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
