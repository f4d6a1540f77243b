using System.Runtime.InteropServices;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// The libevent bench.c workload over n watched descriptors: <c>active</c> of them, evenly spaced, get one byte at the
/// start of a run; every time descriptor i is read, one byte is sent to descriptor i + 1 (mod n) until the run's
/// writes are used up. A run ends when every byte written has been read.
/// </summary>
/// <remarks>
/// The transport (socketpairs or datagram sockets) only supplies <see cref="ReadOne"/> and <see cref="WriteOne"/>;
/// the wait loops (<see cref="IChainWaiter"/>) call <see cref="OnReadable"/> for each descriptor the kernel reports.
/// </remarks>
internal abstract class Chain : IDisposable
{
    private long _writesLeft;
    private long _readsDone;
    private long _readsExpected;

    /// <summary>n: how many descriptors are watched.</summary>
    internal abstract int Count { get; }

    /// <summary>How many descriptors this chain holds open (2n for socketpairs, n + 1 for datagrams).</summary>
    internal abstract int DescriptorCount { get; }

    /// <summary>True once every byte of the current run has been read.</summary>
    internal bool IsRunComplete => _readsDone >= _readsExpected;

    /// <summary>The descriptor number the multiplexer watches for entry <paramref name="index"/>.</summary>
    internal abstract int WatchedFd(int index);

    /// <summary>The handle of entry <paramref name="index"/>, for APIs that take a SafeHandle (the reactor).</summary>
    internal abstract SafeHandle WatchedHandle(int index);

    /// <summary>The highest watched descriptor number: select can watch the chain only while it is below 1024.</summary>
    internal int HighestWatchedFd()
    {
        int highest = -1;
        for (int i = 0; i < Count; i++)
        {
            highest = Math.Max(highest, WatchedFd(i));
        }

        return highest;
    }

    /// <summary>Starts a run: sends the first byte to <paramref name="active"/> evenly spaced entries.</summary>
    internal void StartRun(int active, int writes)
    {
        _writesLeft = writes;
        _readsDone = 0;
        _readsExpected = (long)active + writes;
        int space = Count / active;
        for (int i = 0; i < active; i++)
        {
            WriteOne(i * space);
        }
    }

    /// <summary>Entry <paramref name="index"/> was reported readable: take its byte and pass one on.</summary>
    internal void OnReadable(int index)
    {
        ReadOne(index);
        _readsDone++;
        if (_writesLeft > 0)
        {
            WriteOne(index + 1 == Count ? 0 : index + 1);
            _writesLeft--;
        }
    }

    /// <summary>Closes every descriptor.</summary>
    public abstract void Dispose();

    /// <summary>Consumes the one byte waiting at entry <paramref name="index"/>; throws if there is none.</summary>
    private protected abstract void ReadOne(int index);

    /// <summary>Sends one byte that entry <paramref name="index"/> will read.</summary>
    private protected abstract void WriteOne(int index);
}
