namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>One backend's wait loop over a <see cref="Chain"/>: set up once, then one wait per call.</summary>
internal interface IChainWaiter : IDisposable
{
    /// <summary>Waits (no timeout) and calls <see cref="Chain.OnReadable"/> for every entry reported readable.</summary>
    void WaitOnce();
}
