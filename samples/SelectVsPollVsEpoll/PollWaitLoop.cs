using System.Runtime.CompilerServices;
using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary><see cref="PollSet.Wait(int)"/> with zero timeout over a set built once (PollSet keeps it up to date).</summary>
internal readonly struct PollWaitLoop : IWaitLoop
{
    private readonly PollSet _set;
    private readonly int _readyIndex;

    /// <summary>Uses <paramref name="set"/>, whose entry <paramref name="readyIndex"/> is the readable descriptor.</summary>
    internal PollWaitLoop(PollSet set, int readyIndex)
    {
        _set = set;
        _readyIndex = readyIndex;
    }

    /// <inheritdoc/>
    /// <remarks>Optimised at its first call (see <see cref="IWaitLoop"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long iterations)
    {
        for (long i = 0; i < iterations; i++)
        {
            int ready = _set.Wait(timeoutMilliseconds: 0);
            if (ready != 1)
            {
                throw new WaitVerificationException("poll", _set.Count, $"PollSet.Wait returned {ready}");
            }
        }

        PollFd entry = _set.Entries[_readyIndex];
        if (iterations > 0 && (entry.ReturnedEvents & PollEvents.In) == 0)
        {
            throw new WaitVerificationException("poll", _set.Count, $"the readable entry reports {entry}");
        }
    }
}
