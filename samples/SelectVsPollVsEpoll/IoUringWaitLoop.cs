using System.Runtime.CompilerServices;
using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// <see cref="IoUringMultiplexer"/>'s zero-timeout wait into a caller-owned event array. Each wait re-arms the
/// one-shot IORING_OP_POLL_ADD of the descriptor the previous wait reported and reaps its completion in the same
/// io_uring_enter: io_uring's readiness cost per wait, beside epoll_wait's.
/// </summary>
internal readonly struct IoUringWaitLoop : IWaitLoop
{
    /// <summary>Room for 64 events per wait, as <see cref="EpollWaitLoop"/> has; only one is ever ready here.</summary>
    private const int EventBufferLength = 64;

    private readonly IoUringMultiplexer _ring;
    private readonly ReadyEvent[] _events;
    private readonly ulong _readyToken;
    private readonly int _n;

    /// <summary>Waits on <paramref name="ring"/>, where the readable descriptor was added with <paramref name="readyToken"/>.</summary>
    internal IoUringWaitLoop(IoUringMultiplexer ring, ulong readyToken, int n)
    {
        _ring = ring;
        _events = new ReadyEvent[EventBufferLength];
        _readyToken = readyToken;
        _n = n;
    }

    /// <inheritdoc/>
    /// <remarks>Optimised at its first call (see <see cref="IWaitLoop"/>).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(long iterations)
    {
        Span<ReadyEvent> events = _events;
        for (long i = 0; i < iterations; i++)
        {
            int ready = _ring.Wait(events, TimeSpan.Zero);
            if (ready != 1)
            {
                throw new WaitVerificationException("io_uring", _n, $"IoUringMultiplexer.Wait returned {ready}");
            }
        }

        if (iterations > 0 && (events[0].Token != _readyToken || !events[0].Readiness.IsReadable))
        {
            throw new WaitVerificationException("io_uring", _n, $"the event is {events[0]}, not readable with token {_readyToken}");
        }
    }
}
