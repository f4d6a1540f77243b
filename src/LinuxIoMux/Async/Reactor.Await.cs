using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// The reactor side of awaiting: registrations owned by <see cref="ReactorSocket"/> and <see cref="ReactorStream"/>,
/// and how their interest is kept cheap.
/// </summary>
/// <remarks>
/// <para><b>epoll: edge-triggered, registered once.</b> Readable and writable with EPOLLET, never modified: no
/// epoll_ctl per await (the shape of .NET's SocketAsyncEngine). An edge that arrives while nothing awaits is dropped,
/// which is safe because every operation tries its syscall first and waits only after EAGAIN; the EAGAIN, the
/// waiter's arrival and the next epoll_wait all happen on the loop thread, so no edge can fall between them.</para>
/// <para><b>poll, select, io_uring: level-triggered, interest follows the waiters.</b> A direction is added when a wait
/// needs it and dropped lazily, when the multiplexer reports it while nothing awaits it (else a level-triggered
/// backend would report a readable socket nobody reads on every iteration); with nothing left to watch the descriptor
/// is taken out of the multiplexer ("parked"), since hang-up and error are reported even for an empty interest. For
/// poll and select these changes are table updates, for io_uring queued SQEs (a park submits at once): no syscall in
/// the steady state of a request/response loop, where the read direction stays awaited.</para>
/// </remarks>
public sealed partial class Reactor
{
    private static readonly ReadinessHandler s_ignoreReadiness = static (_, _) => { };

    private static readonly ReadinessHandler s_dropUnawaitedInterest = static (registration, _) =>
        registration.Reactor.DropUnawaitedInterest(registration);

    private static readonly Action<Registration> s_failWaiters = static registration =>
        registration.Waiters?.FailAll(Registration.DisposedWhileWaiting());

    private int _parkedCount;

    /// <summary>Registers a descriptor to be awaited by reactor-owned code (the handler is internal).</summary>
    internal Registration RegisterForAwait(SafeHandle handle)
    {
        bool edgeTriggered = Kind == MultiplexerKind.Epoll;
        Registration registration = edgeTriggered
            ? Register(handle, Interest.Readable | Interest.Writable | Interest.EdgeTriggered, s_ignoreReadiness)
            : Register(handle, Interest.Readable, s_dropUnawaitedInterest);
        registration.Waiters = new RegistrationWaiters(registration, interestFollowsWaiters: !edgeTriggered);
        return registration;
    }

    /// <summary>The checks of <see cref="Registration.WaitAsync"/> that concern the reactor.</summary>
    internal void ThrowIfUnusableForAwait()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (IsOffLoopThreadWhileRunning)
        {
            throw new InvalidOperationException(
                "A reactor's descriptors are awaited on its loop thread while it runs: start the code with Reactor.Spawn " +
                "(after ConfigureAwait(false), or from another reactor's loop, the code is no longer on this loop).");
        }
    }

    /// <summary>The check of <see cref="Registration.WaitFor"/> that concerns the reactor: its operation's owner made
    /// the thread check when the operation began, and the retries run in the dispatch, on the loop thread.</summary>
    internal void ThrowIfDisposedForAwait() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Makes the multiplexer watch <paramref name="direction"/> for a level-triggered reactor-owned registration.</summary>
    internal void ArmForWait(Registration registration, Interest direction)
    {
        if (registration.IsParked)
        {
            _multiplexer.Add(registration.Fd, direction, RegistrationTable.TokenOf(registration));
            registration.IsParked = false;
            _parkedCount--;
            registration.Interest = direction;
        }
        else if ((registration.Interest & direction) == 0)
        {
            Modify(registration, registration.Interest | direction);
        }
    }

    /// <summary>Takes a parked registration's park back (it is being unregistered); true if it was parked.</summary>
    private bool Unpark(Registration registration)
    {
        if (!registration.IsParked)
        {
            return false;
        }

        registration.IsParked = false;
        _parkedCount--;
        return true;
    }

    /// <summary>The handler of level-triggered reactor-owned registrations, run after the waits were completed (and
    /// their continuations may have started new ones): stop watching what nobody awaits any more.</summary>
    private void DropUnawaitedInterest(Registration registration)
    {
        Interest wanted = registration.Waiters!.Pending;
        if (wanted == registration.Interest)
        {
            return;
        }

        if (wanted != Interest.None)
        {
            Modify(registration, wanted);
            return;
        }

        _multiplexer.Remove(registration.Fd);
        registration.IsParked = true;
        _parkedCount++;
    }
}
