namespace LinuxIoMux;

/// <summary>
/// A registration's two waiter slots (reading and writing), created on its first <see cref="Registration.WaitAsync"/>:
/// the dispatch completes them before the handler runs, and disposal fails them.
/// </summary>
internal sealed class RegistrationWaiters
{
    private readonly Registration _registration;

    internal RegistrationWaiters(Registration registration, bool interestFollowsWaiters)
    {
        _registration = registration;
        Read = new ReadinessAwaiter(registration, Interest.Readable);
        Write = new ReadinessAwaiter(registration, Interest.Writable);
        InterestFollowsWaiters = interestFollowsWaiters;
    }

    internal ReadinessAwaiter Read { get; }

    internal ReadinessAwaiter Write { get; }

    /// <summary>
    /// True for the reactor's own level-triggered registrations (<see cref="ReactorSocket"/>, <c>ReactorStream</c>
    /// on poll, select and io_uring): the multiplexer watches a direction only while it is awaited (see
    /// <c>Reactor.Await.cs</c>). False for a caller's registration, whose interest is the caller's.
    /// </summary>
    internal bool InterestFollowsWaiters { get; }

    /// <summary>The directions with a pending wait.</summary>
    internal Interest Pending =>
        (Read.IsPending ? Interest.Readable : Interest.None) | (Write.IsPending ? Interest.Writable : Interest.None);

    internal ReadinessAwaiter For(Interest direction) => direction == Interest.Readable ? Read : Write;

    /// <summary>Loop thread, inside the dispatch: resumes the waits <paramref name="readiness"/> satisfies, inline. An
    /// exception a continuation throws is reported like a handler's, and the other direction still completes.</summary>
    internal void Complete(Readiness readiness)
    {
        if (readiness.IsReadable && Read.IsPending)
        {
            Run(Read, readiness);
        }

        if (readiness.IsWritable && Write.IsPending && _registration.IsActive)
        {
            Run(Write, readiness);
        }
    }

    /// <summary>Loop thread (or the disposing thread while no loop runs): fails both pending waits.</summary>
    internal void FailAll(Exception exception)
    {
        Fail(Read, exception);
        Fail(Write, exception);
    }

    private void Run(ReadinessAwaiter awaiter, Readiness readiness)
    {
        try
        {
            awaiter.Complete(readiness);
        }
        catch (Exception exception)
        {
            _registration.Reactor.Report(exception);
        }
    }

    private void Fail(ReadinessAwaiter awaiter, Exception exception)
    {
        try
        {
            awaiter.Fail(exception);
        }
        catch (Exception thrown)
        {
            _registration.Reactor.Report(thrown);
        }
    }
}
