namespace LinuxIoMux;

/// <summary>Awaiting readiness on a registration (layer 3: async on the reactor).</summary>
public sealed partial class Registration
{
    /// <summary>The waiter slots, created by the first wait (null for registrations that are never awaited).</summary>
    internal RegistrationWaiters? Waiters { get; set; }

    /// <summary>True while the reactor took the descriptor out of the multiplexer because nothing awaits it
    /// (level-triggered reactor-owned registrations only; see <c>Reactor.Await.cs</c>).</summary>
    internal bool IsParked { get; set; }

    /// <summary>How many reports with <see cref="Readiness.IsReadable"/> (hang-up and error included) the dispatch
    /// made for this awaited registration, waiter or not: a receive that drained the descriptor remembers the count,
    /// and an unchanged count later means no data, end of stream or error has been reported since
    /// (<see cref="ReactorSocket"/> remarks). Wraps around; only equality matters.</summary>
    internal uint ReadableReports { get; set; }

    /// <summary>True once the dispatch reported hang-up (EPOLLRDHUP, EPOLLHUP, POLLHUP) or error for this awaited
    /// registration: from then on no receive is skipped, since end of stream and errors are reported only once under
    /// edge-triggered epoll.</summary>
    internal bool HangUpReported { get; set; }

    /// <summary>
    /// Waits until the descriptor is ready for <paramref name="interest"/> (<see cref="Interest.Readable"/> or
    /// <see cref="Interest.Writable"/>), as the multiplexer reports it (epoll_wait(2), poll(2), select(2), io_uring's
    /// IORING_OP_POLL_ADD). Hang-up and error complete both directions, so the next read or write observes them.
    /// </summary>
    /// <remarks>
    /// <para><b>Allocation.</b> A reusable <see cref="System.Threading.Tasks.Sources.IValueTaskSource{TResult}"/> per
    /// registration and direction backs the returned task: no allocation per wait (a cancellable token costs a
    /// callback registration in its source). Await the result once, as with any <see cref="ValueTask{TResult}"/>.</para>
    /// <para><b>Where the code resumes.</b> The reactor completes the wait inside its dispatch, and the awaiting code
    /// resumes there, inline on the loop thread, before the registration's handler runs and before actions posted
    /// earlier.</para>
    /// <para><b>Readiness is a hint.</b> Try the read or write first and wait only when it would block
    /// (EAGAIN); after the wait, try again: the readiness may be spurious or taken by someone else.</para>
    /// <para><b>Interest.</b> The registration must already watch the direction (<see cref="Interest"/>), since its
    /// interest is the caller's (<see cref="ReactorSocket"/> and <see cref="ReactorStream"/> manage theirs). The
    /// handler still runs for every report, after the waits it completed.</para>
    /// <para><b>Threads.</b> Call it on the loop thread (from a handler or from code started with
    /// <see cref="Reactor.Spawn(Func{Task})"/>), or while the loop is not running.</para>
    /// </remarks>
    /// <param name="interest">Exactly one direction: <see cref="Interest.Readable"/> or <see cref="Interest.Writable"/>.</param>
    /// <param name="cancellationToken">Cancels the wait; the registration stays usable.</param>
    /// <returns>What was ready (the same value the handler gets).</returns>
    /// <exception cref="ArgumentException"><paramref name="interest"/> is not exactly one direction.</exception>
    /// <exception cref="InvalidOperationException">A wait in that direction is already pending; the registration
    /// does not watch that direction; or called off the loop thread while the loop runs (another reactor's loop
    /// included: a registration belongs to one loop).</exception>
    /// <exception cref="ObjectDisposedException">The registration or the reactor is disposed; also the result of a
    /// pending wait when either is disposed.</exception>
    /// <exception cref="OperationCanceledException">The result of a wait whose token was cancelled.</exception>
    public ValueTask<Readiness> WaitAsync(Interest interest, CancellationToken cancellationToken = default)
    {
        if (interest is not (Interest.Readable or Interest.Writable))
        {
            throw new ArgumentException(
                $"WaitAsync(fd {Fd}) waits for one direction, Interest.Readable or Interest.Writable, not {interest}.", nameof(interest));
        }

        _reactor.ThrowIfUnusableForAwait();
        ThrowIfDisposedForWait(interest);

        RegistrationWaiters waiters = Waiters ??= new RegistrationWaiters(this, interestFollowsWaiters: false);
        ReadinessAwaiter awaiter = waiters.For(interest);
        awaiter.ThrowIfPending();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<Readiness>(cancellationToken);
        }

        if (waiters.InterestFollowsWaiters)
        {
            _reactor.ArmForWait(this, interest);
        }
        else if ((Interest & interest) == 0)
        {
            throw new InvalidOperationException(
                $"WaitAsync({interest}) on fd {Fd}: the registration watches {Interest}; Modify it to include {interest} first.");
        }

        return awaiter.Start(cancellationToken);
    }

    /// <summary>
    /// The wait of a reactor-owned operation (<see cref="ReadinessOperation{T}"/>): like <see cref="WaitAsync"/>, but
    /// <paramref name="waiter"/> is called directly when the direction is reported (<see cref="IReadinessWaiter"/>).
    /// The operation's owner already checked the thread and the pending slot when it began (ReceiveAsync, SendAsync,
    /// AcceptAsync, ReadAsync, WriteAsync), and its retries run in the dispatch, so only what can change since is
    /// checked here.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The registration or the reactor is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> is already cancelled.</exception>
    internal void WaitFor(Interest direction, IReadinessWaiter waiter, CancellationToken cancellationToken)
    {
        _reactor.ThrowIfDisposedForAwait();
        ThrowIfDisposedForWait(direction);

        cancellationToken.ThrowIfCancellationRequested();
        RegistrationWaiters waiters = Waiters!; // created by Reactor.RegisterForAwait, with the registration
        if (waiters.InterestFollowsWaiters)
        {
            _reactor.ArmForWait(this, direction);
        }

        waiters.For(direction).Start(waiter, cancellationToken);
    }

    private void ThrowIfDisposedForWait(Interest direction)
    {
        if (!IsActive)
        {
            throw new ObjectDisposedException(nameof(Registration), $"WaitAsync({direction}) on fd {Fd}: the registration was disposed.");
        }
    }

    /// <summary>The exception pending waits complete with when their registration (or reactor) goes away.</summary>
    internal static ObjectDisposedException DisposedWhileWaiting() =>
        new(nameof(Registration), "The registration (or its reactor) was disposed while a WaitAsync was pending.");
}
