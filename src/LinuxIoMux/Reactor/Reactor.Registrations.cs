using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>Registering, modifying and unregistering descriptors (tokens and slots: <see cref="RegistrationTable"/>).</summary>
public sealed partial class Reactor
{
    /// <summary>
    /// Starts watching <paramref name="handle"/>'s descriptor for <paramref name="interest"/>; <paramref name="handler"/>
    /// runs on the loop thread when it is ready. The handle is referenced only during this call.
    /// </summary>
    /// <param name="handle">An open descriptor in non-blocking mode (a socket, pipe, eventfd, ...).</param>
    /// <param name="interest">Readable, Writable or both; EdgeTriggered on epoll only.</param>
    /// <param name="handler">Called with the registration and what is ready.</param>
    /// <param name="state">Stored in <see cref="Registration.State"/>.</param>
    /// <exception cref="ArgumentException">An invalid handle, an empty interest, or the descriptor is already registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException">select: the descriptor is 1024 or higher.</exception>
    /// <exception cref="NotSupportedException">EdgeTriggered on poll or select.</exception>
    /// <exception cref="ObjectDisposedException">The reactor or the handle is disposed.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs (Post the Register).</exception>
    public Registration Register(SafeHandle handle, Interest interest, ReadinessHandler handler, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfUnusable();
        if (handle.IsInvalid)
        {
            throw new ArgumentException("The handle does not hold a descriptor.", nameof(handle));
        }

        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        RemovePendingUnregistrations(); // a number given up from another thread may be the one being registered now
        int slot = _registrations.Reserve();
        Registration registration;
        try
        {
            int fd = AddToMultiplexer(handle, interest, _registrations.TokenOf(slot));
            registration = new Registration(this, fd, slot, _registrations.GenerationOf(slot), interest, handler, state);
        }
        catch
        {
            _registrations.Unreserve(slot);
            throw;
        }

        _registrations.Publish(registration);
        return registration;
    }

    /// <summary>
    /// Registers a socket, first putting it in non-blocking mode (<c>Blocking = false</c>): a blocking call inside a
    /// handler would stall every other descriptor on the loop.
    /// </summary>
    /// <inheritdoc cref="Register(SafeHandle, Interest, ReadinessHandler, object?)"/>
    public Registration Register(Socket socket, Interest interest, ReadinessHandler handler, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.Blocking = false;
        return Register(socket.SafeHandle, interest, handler, state);
    }

    /// <summary>Changes what <paramref name="registration"/> waits for (same as <see cref="Registration.Modify"/>).</summary>
    /// <exception cref="ObjectDisposedException">The registration or the reactor was disposed.</exception>
    /// <exception cref="InvalidOperationException">Called off the loop thread while the loop runs.</exception>
    /// <exception cref="ArgumentException">An empty interest, or a registration of another reactor.</exception>
    /// <exception cref="NotSupportedException"><see cref="Interest.EdgeTriggered"/> on poll or select.</exception>
    public void Modify(Registration registration, Interest interest)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!ReferenceEquals(registration.Reactor, this))
        {
            throw new ArgumentException("The registration belongs to another reactor.", nameof(registration));
        }

        ThrowIfUnusable();
        if (!IsCurrent(registration))
        {
            throw new ObjectDisposedException(nameof(Registration), "The registration was disposed.");
        }

        try
        {
            _multiplexer.Modify(registration.Fd, interest, RegistrationTable.TokenOf(registration));
        }
        catch (UnixException)
        {
            // The kernel refused (epoll: the fd was closed, or its number reused), and IMultiplexer.Modify has dropped
            // the fd. Retire the registration too, so that it says so (IsActive false) and its later Dispose cannot
            // remove whatever registration the fd number belongs to next.
            registration.IsActive = false;
            _registrations.Release(registration);
            registration.Waiters?.FailAll(Registration.DisposedWhileWaiting());
            throw;
        }

        registration.Interest = interest;
    }

    /// <summary>
    /// Stops watching the registration's descriptor (same as <see cref="Registration.Dispose"/>): its handler is not
    /// called again, not even for an event already collected in the current batch. Idempotent; never throws; the
    /// descriptor stays open.
    /// </summary>
    /// <remarks>On the loop thread (or while no loop runs) the descriptor leaves the multiplexer before this returns.
    /// From another thread while the loop runs, the registration is deactivated at once (no handler call starts after
    /// this returns) and the loop removes the descriptor from the multiplexer before its next wait and before any
    /// Register, so closing the descriptor right after this call is safe even if its number is reused at once.</remarks>
    public void Unregister(Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (IsDisposed || !ReferenceEquals(registration.Reactor, this) || !registration.IsActive)
        {
            return;
        }

        registration.IsActive = false; // from here on no dispatch starts for it, whichever thread this is
        if (IsOffLoopThreadWhileRunning)
        {
            _pendingRemovals.Enqueue(registration);
            if (registration.Waiters is not null)
            {
                WakeForPendingRemoval(); // its pending waits fail on the loop thread, which may be asleep in its wait
            }

            return;
        }

        RemoveFromMultiplexer(registration);
        registration.Waiters?.FailAll(Registration.DisposedWhileWaiting());
    }

    /// <summary>Loop thread: finishes the unregistrations other threads asked for.</summary>
    private void RemovePendingUnregistrations()
    {
        while (_pendingRemovals.TryDequeue(out Registration? registration))
        {
            RemoveFromMultiplexer(registration);
            registration.Waiters?.FailAll(Registration.DisposedWhileWaiting());
        }
    }

    /// <summary>Frees the slot (killing the token) and removes the descriptor, unless that already happened.</summary>
    private void RemoveFromMultiplexer(Registration registration)
    {
        if (!_registrations.IsCurrent(registration))
        {
            return; // retired by a failed Modify, or already removed
        }

        _registrations.Release(registration);
        if (!Unpark(registration))
        {
            _multiplexer.Remove(registration.Fd);
        }
    }

    /// <summary>Adds the descriptor under a reference held only for the epoll_ctl (or table update) itself.</summary>
    private int AddToMultiplexer(SafeHandle handle, Interest interest, ulong token)
    {
        bool referenced = false;
        // SAFETY: the reference keeps the descriptor open, so its number cannot be closed and reused between reading
        // it and the kernel registering it. It is released before returning: never held for the registration's
        // lifetime, which would make Socket.Dispose spin (dotnet/runtime#40301).
        handle.DangerousAddRef(ref referenced);
        try
        {
            // SAFETY: read while referenced (above); only the number is kept.
            int fd = EpollHandle.DescriptorOf(handle);
            _multiplexer.Add(fd, interest, token);
            return fd;
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease(); // SAFETY: pairs with the successful AddRef above
            }
        }
    }

    private bool IsCurrent(Registration registration) =>
        ReferenceEquals(registration.Reactor, this)
        && registration.IsActive
        && _registrations.IsCurrent(registration);
}
