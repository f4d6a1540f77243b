namespace LinuxIoMux;

/// <summary>
/// Wakes a reactor's wait from any thread through an eventfd registered for readability, coalescing wakes: however
/// many threads call <see cref="Wake"/> before the loop notices, the eventfd is written once.
/// </summary>
/// <remarks>
/// The flag is cleared by <see cref="Acknowledge"/>, which the loop calls when it sees the eventfd readable and before
/// it drains the posted queue, with a full fence (Interlocked). A Post that enqueues after that drain started finds
/// the flag clear and signals again, so no posted action waits for an unrelated wake-up; a Post whose signal was
/// coalesced enqueued before the flag was cleared, so the drain that follows sees its action.
/// </remarks>
internal sealed class Waker : IDisposable
{
    private readonly EventFd _eventFd = new();
    private int _signalled;
    private long _signals;

    /// <summary>The eventfd to register for <see cref="Interest.Readable"/>.</summary>
    internal FileDescriptorHandle Handle => _eventFd.Handle;

    /// <summary>How many times the eventfd was actually written (for the coalescing test).</summary>
    internal long Signals => Interlocked.Read(ref _signals);

    /// <summary>Makes the loop's next (or current) wait return. Any thread; allocation-free.</summary>
    internal void Wake()
    {
        if (Interlocked.CompareExchange(ref _signalled, 1, 0) == 0)
        {
            Interlocked.Increment(ref _signals);
            _eventFd.Signal();
        }
    }

    /// <summary>Loop thread: resets the eventfd counter and re-opens the gate for the next Wake.</summary>
    internal void Acknowledge()
    {
        _eventFd.Consume();
        Interlocked.Exchange(ref _signalled, 0);
    }

    public void Dispose() => _eventFd.Dispose();
}
