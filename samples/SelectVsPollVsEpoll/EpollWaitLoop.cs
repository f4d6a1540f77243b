using System.Runtime.CompilerServices;
using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// <see cref="EpollHandle.Wait(Span{EpollEvent}, int)"/> with zero timeout into a caller-owned event array, as an
/// event loop does.
/// </summary>
internal readonly struct EpollWaitLoop : IWaitLoop
{
    /// <summary>Room for 64 events per wait: a typical event-loop buffer; only one is ever ready here.</summary>
    private const int EventBufferLength = 64;

    private readonly EpollHandle _epoll;
    private readonly EpollEvent[] _events;
    private readonly ulong _readyData;
    private readonly int _n;

    /// <summary>Waits on <paramref name="epoll"/>, where the readable descriptor was registered with <paramref name="readyData"/>.</summary>
    internal EpollWaitLoop(EpollHandle epoll, ulong readyData, int n)
    {
        _epoll = epoll;
        _events = new EpollEvent[EventBufferLength];
        _readyData = readyData;
        _n = n;
    }

    /// <inheritdoc/>
    /// <remarks>Optimised at its first call (see <see cref="IWaitLoop"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long iterations)
    {
        Span<EpollEvent> events = _events;
        for (long i = 0; i < iterations; i++)
        {
            int ready = _epoll.Wait(events, timeoutMilliseconds: 0);
            if (ready != 1)
            {
                throw new WaitVerificationException("epoll", _n, $"EpollHandle.Wait returned {ready}");
            }
        }

        if (iterations > 0 && (events[0].Data != _readyData || (events[0].Events & EpollEvents.In) == 0))
        {
            throw new WaitVerificationException("epoll", _n, $"the event is {events[0].Events} with data {events[0].Data}, not In with {_readyData}");
        }
    }
}
