namespace LinuxIoMux;

/// <summary>
/// The shared half of every <see cref="IMultiplexer"/>: argument checks and the fd-to-registration table, written
/// once; <see cref="EpollMultiplexer"/>, <see cref="PollMultiplexer"/> and <see cref="SelectMultiplexer"/> add only
/// the lines that touch their system call (the shape of CPython's <c>selectors._BaseSelectorImpl</c>).
/// </summary>
/// <remarks>
/// The table is checked before any syscall, so errors are the same on every backend: a double Add or a Modify of an
/// unknown fd throws <see cref="ArgumentException"/> whether the kernel would have said EEXIST (epoll) or nothing at
/// all (select). It cannot be subclassed outside this assembly.
/// </remarks>
public abstract class Multiplexer : IMultiplexer
{
    private readonly Dictionary<int, Registered> _registered = new();
    private bool _disposed;

    private protected Multiplexer()
    {
    }

    /// <inheritdoc/>
    public abstract MultiplexerKind Kind { get; }

    /// <inheritdoc/>
    public int Count => _registered.Count;

    /// <summary>True when the backend implements <see cref="Interest.EdgeTriggered"/>, <see cref="Interest.OneShot"/>
    /// and <see cref="Interest.Exclusive"/> (epoll).</summary>
    private protected virtual bool SupportsEpollModes => false;

    /// <summary>True when the backend reports <see cref="Interest.Priority"/> (all but io_uring).</summary>
    private protected virtual bool SupportsPriority => true;

    /// <summary>Creates the multiplexer for <paramref name="kind"/>.</summary>
    /// <exception cref="UnixException">The backend's own descriptor (the epoll fd, the io_uring fd) could not be created.</exception>
    /// <exception cref="PlatformNotSupportedException"><see cref="MultiplexerKind.IoUring"/> where io_uring is disabled,
    /// blocked or missing (see <see cref="IsSupported"/>); the message says which and what to do.</exception>
    public static Multiplexer Create(MultiplexerKind kind) => kind switch
    {
        MultiplexerKind.Epoll => new EpollMultiplexer(),
        MultiplexerKind.Poll => new PollMultiplexer(),
        MultiplexerKind.Select => new SelectMultiplexer(),
        MultiplexerKind.IoUring => new IoUringMultiplexer(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Epoll, Poll, Select or IoUring."),
    };

    /// <summary>
    /// True when <see cref="Create"/> can make a <paramref name="kind"/> multiplexer in this process. Always true for
    /// epoll, poll and select; for io_uring, false where kernel.io_uring_disabled, a seccomp filter (Docker's default
    /// profile) or the kernel (older than 5.11, or without io_uring) prevents it. Found by creating a small ring once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown <paramref name="kind"/>.</exception>
    public static bool IsSupported(MultiplexerKind kind) => kind switch
    {
        MultiplexerKind.Epoll or MultiplexerKind.Poll or MultiplexerKind.Select => true,
        MultiplexerKind.IoUring => IoUring.IoUringAvailability.IsSupported,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Expected Epoll, Poll, Select or IoUring."),
    };

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A negative fd, or (select) an fd of 1024 or more.</exception>
    /// <exception cref="ArgumentException">An empty or unknown interest, or <paramref name="fd"/> is already registered.</exception>
    /// <exception cref="NotSupportedException"><see cref="Interest.EdgeTriggered"/> on poll or select.</exception>
    /// <exception cref="UnixException">The kernel refused (epoll: EPERM for a regular file, ENOSPC, ENOMEM).</exception>
    public void Add(int fd, Interest interest, ulong token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateFd(fd);
        ValidateInterest(interest);
        if (_registered.ContainsKey(fd))
        {
            throw new ArgumentException(
                $"fd {fd} is already registered with this {Kind} multiplexer; Modify it, or Remove it first. " +
                "(A descriptor closed without being removed keeps its entry until it is removed.)", nameof(fd));
        }

        AddToKernel(fd, interest, token); // first, so a kernel refusal leaves the table unchanged
        _registered.Add(fd, new Registered(interest, token));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="fd"/> is not registered, or an empty interest (the registration is unchanged).</exception>
    /// <exception cref="UnixException">The kernel refused (epoll: the fd was closed or its number reused); the fd is then
    /// no longer registered, neither here nor in the kernel.</exception>
    public void Modify(int fd, Interest interest, ulong token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateInterest(interest);
        if (!_registered.TryGetValue(fd, out Registered current))
        {
            throw new ArgumentException($"fd {fd} is not registered with this {Kind} multiplexer.", nameof(fd));
        }

        if (((interest | current.Interest) & Interest.Exclusive) != 0)
        {
            // epoll_ctl(2): EPOLL_CTL_MOD with EPOLLEXCLUSIVE, or of an fd added with it, is EINVAL.
            throw new ArgumentException(
                $"fd {fd}: an Interest.Exclusive registration cannot be modified, nor can Modify add Exclusive (epoll_ctl: EINVAL). Remove it and Add it again.",
                nameof(interest));
        }

        try
        {
            ModifyInKernel(fd, interest, token);
        }
        catch (UnixException)
        {
            // The kernel refused (epoll: ENOENT/EBADF when the fd was closed or its number reused, ENOMEM): keeping the
            // row would leave the fd half-registered, claimed here but not watched there. Drop it from both, as
            // CPython's selectors do since bpo-30014; the caller may Add it again.
            _registered.Remove(fd, out Registered old);
            try
            {
                RemoveFromKernel(fd, old.Interest);
            }
            catch (UnixException)
            {
                // Nothing more to undo: the modify's own error is the one to report.
            }

            throw;
        }

        _registered[fd] = new Registered(interest, token);
    }

    /// <inheritdoc/>
    public bool Remove(int fd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_registered.Remove(fd, out Registered old))
        {
            return false;
        }

        RemoveFromKernel(fd, old.Interest);
        return true;
    }

    /// <inheritdoc/>
    public bool Contains(int fd) => _registered.ContainsKey(fd);

    /// <inheritdoc/>
    public int Wait(Span<ReadyEvent> events, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (events.IsEmpty)
        {
            throw new ArgumentException("The event buffer needs room for at least one event.", nameof(events));
        }

        return WaitCore(events, timeout);
    }

    /// <summary>Releases the backend's resources. Registered descriptors are not closed (they are not ours).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _registered.Clear();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Looks up what <paramref name="fd"/> is registered for; the backends use it to map results to tokens.</summary>
    private protected bool TryGetRegistration(int fd, out Interest interest, out ulong token)
    {
        if (_registered.TryGetValue(fd, out Registered entry))
        {
            interest = entry.Interest;
            token = entry.Token;
            return true;
        }

        interest = Interest.None;
        token = 0;
        return false;
    }

    /// <summary>The table itself, for backends that scan every registration per wait (select). Enumerating it does not allocate.</summary>
    private protected Dictionary<int, Registered> Registrations => _registered;

    /// <summary>Backend-specific fd checks (select: below FD_SETSIZE). The base has already rejected negatives.</summary>
    private protected virtual void ValidateFdForBackend(int fd)
    {
    }

    private protected abstract void AddToKernel(int fd, Interest interest, ulong token);

    private protected abstract void ModifyInKernel(int fd, Interest interest, ulong token);

    private protected abstract void RemoveFromKernel(int fd, Interest interest);

    private protected abstract int WaitCore(Span<ReadyEvent> events, TimeSpan timeout);

    private protected abstract void DisposeCore();

    private void ValidateFd(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        ValidateFdForBackend(fd);
    }

    /// <summary>The system call behind <see cref="Kind"/>, as the man pages name it, for messages.</summary>
    private string SyscallName => Kind switch
    {
        MultiplexerKind.IoUring => "io_uring(7)",
        MultiplexerKind.Epoll => "epoll(7)",
        _ => Kind.ToString().ToLowerInvariant() + "(2)",
    };

    private void ValidateInterest(Interest interest)
    {
        if ((interest & (Interest.Readable | Interest.Writable | Interest.Priority)) == 0)
        {
            throw new ArgumentException("An interest must include Readable, Writable or Priority.", nameof(interest));
        }

        if ((interest & ~(Interest.Readable | Interest.Writable | Interest.Priority | Interest.EdgeTriggered | Interest.OneShot | Interest.Exclusive)) != 0)
        {
            throw new ArgumentException($"Unknown interest bits: {interest}.", nameof(interest));
        }

        foreach (Interest epollOnly in (ReadOnlySpan<Interest>)[Interest.EdgeTriggered, Interest.OneShot, Interest.Exclusive])
        {
            if ((interest & epollOnly) != 0 && !SupportsEpollModes)
            {
                throw new NotSupportedException(
                    $"Interest.{epollOnly} needs the epoll backend: {SyscallName} reports every ready descriptor on every wait. " +
                    $"Use MultiplexerKind.Epoll, or register without {epollOnly}.");
            }
        }

        if ((interest & Interest.Priority) != 0 && !SupportsPriority)
        {
            throw new NotSupportedException(
                $"Interest.Priority is not reliable on {SyscallName}: an IORING_OP_POLL_ADD for POLLPRI was measured never to complete " +
                "for TCP urgent data that poll(2) reports as POLLPRI (Linux 6.18). Use MultiplexerKind.Epoll or Poll for priority data.");
        }

        if ((interest & Interest.Exclusive) != 0 && (interest & Interest.OneShot) != 0)
        {
            // epoll_ctl(2): EPOLLEXCLUSIVE combined with EPOLLONESHOT is EINVAL.
            throw new ArgumentException("Interest.Exclusive cannot be combined with Interest.OneShot (epoll_ctl: EINVAL).", nameof(interest));
        }
    }

    /// <summary>One row of the table.</summary>
    private protected readonly record struct Registered(Interest Interest, ulong Token);
}
