using System.Runtime.CompilerServices;
using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// <see cref="Select.Wait(ref FdSet, ref FdSet, ref FdSet, int)"/> with zero timeout, copying the watched set into
/// the read set before every call, as every select user must: select overwrites the set with the ready descriptors.
/// </summary>
/// <remarks>The write and except sets stay empty (the kernel writes back zeros), so they are not copied.</remarks>
internal readonly struct SelectWaitLoop : IWaitLoop
{
    private readonly FdSet _watched;
    private readonly int _readyFd;
    private readonly int _n;

    /// <summary>Watches the first end of every pair in <paramref name="pairs"/> for reading.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A descriptor is at least <see cref="FdSet.Capacity"/>.</exception>
    internal SelectWaitLoop(SocketPairSet pairs)
    {
        FdSet watched = default;
        foreach (FileDescriptorHandle handle in pairs.Watched)
        {
            watched.Set(handle.Fd);
        }

        _watched = watched;
        _readyFd = pairs.Watched[pairs.ReadyIndex].Fd;
        _n = pairs.Watched.Count;
    }

    /// <inheritdoc/>
    /// <remarks>Optimised at its first call (see <see cref="IWaitLoop"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long iterations)
    {
        FdSet watched = _watched;
        FdSet read = default;
        FdSet write = default;
        FdSet except = default;
        for (long i = 0; i < iterations; i++)
        {
            read = watched;
            int ready = Select.Wait(ref read, ref write, ref except, timeoutMilliseconds: 0);
            if (ready != 1)
            {
                throw new WaitVerificationException("select", _n, $"Select.Wait returned {ready}");
            }
        }

        if (iterations > 0 && !read.IsSet(_readyFd))
        {
            throw new WaitVerificationException("select", _n, $"fd {_readyFd} is not in the returned read set");
        }
    }
}
