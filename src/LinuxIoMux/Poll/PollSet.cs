using System.Runtime.InteropServices;
using LinuxIoMux.Interop;
using LinuxIoMux.Timing;

namespace LinuxIoMux;

/// <summary>
/// A set of descriptors to wait on with poll(2), kept as a native <c>pollfd</c> array that is updated in place:
/// O(1) Add, Modify and Remove (swap-remove through an fd-to-index map), never rebuilt per wait.
/// </summary>
/// <remarks>
/// <para><b>What the kernel promises.</b> poll is level-triggered and scans the whole array on every call, so its cost
/// grows with <see cref="Count"/>. A descriptor that is closed while in the set is reported as
/// <see cref="PollEvents.Nval"/> in its entry; the wait itself does not fail.</para>
/// <para><b>What this type adds.</b> Errors mirror epoll_ctl's so the backends behave alike: Add of a present fd is
/// EEXIST, Modify or Remove of an absent one ENOENT, both before any syscall. Only the fd number is stored: a
/// SafeHandle is read under a reference at Add and never held.</para>
/// <para><b>Threads.</b> Not thread-safe: mutate and wait from one thread. Disposing, or growing the array, while
/// another thread waits is memory-safe: the old array is freed when that wait returns.</para>
/// <para>Removing swaps the last entry into the hole, so indexes in <see cref="Entries"/> change on Remove.</para>
/// </remarks>
/// <example>
/// <code>
/// using var set = new PollSet();
/// set.Add(socket.SafeHandle, PollEvents.In);
/// if (set.Wait(timeoutMilliseconds: 1000) &gt; 0)
///     foreach (PollFd entry in set.Entries)
///         if (entry.ReturnedEvents != PollEvents.None) Console.WriteLine(entry);
/// </code>
/// </example>
public sealed unsafe class PollSet : IDisposable
{
    private const int DefaultCapacity = 16;

    private readonly Dictionary<int, int> _indexByFd;
    private NativeMemoryHandle _memory;
    private int _capacity;
    private int _count;
    private bool _disposed;

    /// <summary>Creates an empty set with room for <paramref name="initialCapacity"/> entries before it grows.</summary>
    public PollSet(int initialCapacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _capacity = initialCapacity;
        _memory = NativeMemoryHandle.Allocate((nuint)initialCapacity * (nuint)sizeof(PollFd));
        _indexByFd = new Dictionary<int, int>(initialCapacity);
    }

    /// <summary>The number of descriptors in the set (<c>nfds</c> of the next poll call).</summary>
    public int Count => _count;

    /// <summary>
    /// The <c>pollfd</c> array as the kernel last wrote it, in place. Valid until the next Add, Remove or Dispose.
    /// </summary>
    public ReadOnlySpan<PollFd> Entries
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new ReadOnlySpan<PollFd>(_memory.Pointer, _count);
        }
    }

    /// <summary>True if <paramref name="fd"/> is in the set.</summary>
    public bool Contains(int fd) => _indexByFd.ContainsKey(fd);

    /// <summary>Adds <paramref name="fd"/> with the <paramref name="events"/> to wait for.</summary>
    /// <exception cref="UnixException">EEXIST: the fd is already in the set.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative fd.</exception>
    /// <exception cref="ObjectDisposedException">The set or <paramref name="fd"/> is disposed.</exception>
    public void Add(SafeHandle fd, PollEvents events) => ThrowIfFailed(TryAdd(DescriptorOf(fd), events), "Add", fd);

    /// <inheritdoc cref="Add(SafeHandle, PollEvents)"/>
    public void Add(int fd, PollEvents events) => ThrowIfFailed(TryAdd(fd, events), "Add", fd);

    /// <summary>Changes the events requested for <paramref name="fd"/>.</summary>
    /// <exception cref="UnixException">ENOENT: the fd is not in the set.</exception>
    public void Modify(SafeHandle fd, PollEvents events) => ThrowIfFailed(TryModify(DescriptorOf(fd), events), "Modify", fd);

    /// <inheritdoc cref="Modify(SafeHandle, PollEvents)"/>
    public void Modify(int fd, PollEvents events) => ThrowIfFailed(TryModify(fd, events), "Modify", fd);

    /// <summary>Removes <paramref name="fd"/>. A closed SafeHandle is accepted: its number is still known.</summary>
    /// <returns>True if removed; false if <paramref name="fd"/> was not in the set (the same contract as
    /// <see cref="EpollHandle.Remove(int)"/> and <see cref="IMultiplexer.Remove"/>).</returns>
    public bool Remove(SafeHandle fd) => TryRemove(fd) == Errno.None;

    /// <inheritdoc cref="Remove(SafeHandle)"/>
    public bool Remove(int fd) => TryRemove(fd) == Errno.None;

    /// <summary>Add without throwing: <see cref="Errno.None"/> or <see cref="Errno.EEXIST"/>.</summary>
    /// <exception cref="ObjectDisposedException">The set or <paramref name="fd"/> is disposed.</exception>
    public Errno TryAdd(SafeHandle fd, PollEvents events) => TryAdd(DescriptorOf(fd), events);

    /// <summary>Modify without throwing: <see cref="Errno.None"/> or <see cref="Errno.ENOENT"/>.</summary>
    /// <exception cref="ObjectDisposedException">The set or <paramref name="fd"/> is disposed.</exception>
    public Errno TryModify(SafeHandle fd, PollEvents events) => TryModify(DescriptorOf(fd), events);

    /// <summary>Remove without throwing: <see cref="Errno.None"/> or <see cref="Errno.ENOENT"/>. A closed SafeHandle
    /// is accepted: its number is still known, and the entry must go even though the descriptor is gone.</summary>
    public Errno TryRemove(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        return TryRemove(EpollHandle.DescriptorOf(fd));
    }

    /// <summary>Add without throwing: <see cref="Errno.None"/> or <see cref="Errno.EEXIST"/>.</summary>
    public Errno TryAdd(int fd, PollEvents events)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        if (_indexByFd.ContainsKey(fd))
        {
            return Errno.EEXIST;
        }

        if (_count == _capacity)
        {
            Grow(); // before touching the map, so a failed allocation leaves the set as it was
        }

        _indexByFd.Add(fd, _count);
        // SAFETY: _count < _capacity after Grow; the block holds _capacity entries.
        ((PollFd*)_memory.Pointer)[_count++] = new PollFd(fd, events);
        return Errno.None;
    }

    /// <summary>Modify without throwing: <see cref="Errno.None"/> or <see cref="Errno.ENOENT"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative fd (as in Add, and as EpollHandle.TryModify).</exception>
    public Errno TryModify(int fd, PollEvents events)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        if (!_indexByFd.TryGetValue(fd, out int index))
        {
            return Errno.ENOENT;
        }

        // SAFETY: index < _count, maintained by Add and Remove.
        ((PollFd*)_memory.Pointer)[index] = new PollFd(fd, events);
        return Errno.None;
    }

    /// <summary>Remove without throwing: <see cref="Errno.None"/> or <see cref="Errno.ENOENT"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative fd (as in Add, and as EpollHandle.TryRemove).</exception>
    public Errno TryRemove(int fd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        if (!_indexByFd.Remove(fd, out int index))
        {
            return Errno.ENOENT;
        }

        var entries = (PollFd*)_memory.Pointer;
        int last = --_count;
        if (index != last)
        {
            // SAFETY: both indexes are below the old count.
            entries[index] = entries[last];
            _indexByFd[entries[index].Fd] = index;
        }

        return Errno.None;
    }

    /// <summary>Waits until an fd in the set is ready or the timeout passes (poll(2)).</summary>
    /// <param name="timeoutMilliseconds">-1 waits forever; 0 returns at once.</param>
    /// <returns>The number of entries with non-zero <see cref="PollFd.ReturnedEvents"/>; 0 on timeout.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeoutMilliseconds"/> is below -1.</exception>
    /// <exception cref="UnixException">EFAULT, EINVAL (more fds than RLIMIT_NOFILE), ENOMEM. EINTR is retried.</exception>
    public int Wait(int timeoutMilliseconds) =>
        WaitCore(WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), precise: false);

    /// <summary>
    /// As <see cref="Wait(int)"/> with a <see cref="TimeSpan"/>; a timeout that is not a whole number of milliseconds
    /// uses ppoll(2) with nanoseconds.
    /// </summary>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever; at most int.MaxValue ms.</param>
    public int Wait(TimeSpan timeout)
    {
        WaitDeadline deadline = WaitDeadline.StartTimeSpan(timeout, nameof(timeout));
        return WaitCore(deadline, deadline.HasSubMillisecondPart);
    }

    /// <summary>
    /// As <see cref="Wait(int)"/>, with <paramref name="mask"/> as the thread's signal mask for the duration of the wait
    /// (ppoll(2)): a signal blocked everywhere else and left out of the mask can only be delivered inside the wait.
    /// </summary>
    /// <remarks>An interrupted wait is retried with the time left, as every wait here is; see
    /// <see cref="EpollHandle.Wait(Span{EpollEvent}, int, in SignalSet)"/> for the pattern.</remarks>
    /// <param name="timeoutMilliseconds">-1 waits forever; 0 returns at once.</param>
    /// <param name="mask">The signals blocked during the wait (replaces, not adds to, the thread's mask).</param>
    public int Wait(int timeoutMilliseconds, in SignalSet mask)
    {
        SignalSet local = mask; // on this frame: the kernel reads it during the whole wait
        return WaitCore(WaitDeadline.StartMilliseconds(timeoutMilliseconds, nameof(timeoutMilliseconds)), precise: true, &local);
    }

    /// <summary>As <see cref="Wait(int, in SignalSet)"/> with a <see cref="TimeSpan"/> (ppoll's nanosecond timeout).</summary>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> waits forever; at most int.MaxValue ms.</param>
    /// <param name="mask">The signals blocked during the wait (replaces, not adds to, the thread's mask).</param>
    public int Wait(TimeSpan timeout, in SignalSet mask)
    {
        SignalSet local = mask;
        return WaitCore(WaitDeadline.StartTimeSpan(timeout, nameof(timeout)), precise: true, &local);
    }

    /// <summary>Frees the array (after a wait in progress on another thread returns).</summary>
    public void Dispose()
    {
        _disposed = true;
        _memory.Dispose();
    }

    /// <param name="deadline">The validated timeout.</param>
    /// <param name="precise">Use ppoll (nanoseconds) rather than poll (milliseconds); always true with a mask.</param>
    /// <param name="mask">The signal mask for the wait, or null for the thread's own.</param>
    private int WaitCore(in WaitDeadline deadline, bool precise, SignalSet* mask = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMemoryHandle memory = _memory;
        bool referenced = false;
        // SAFETY: keeps the array alive while the kernel writes revents into it, whatever other threads do.
        memory.DangerousAddRef(ref referenced);
        try
        {
            var entries = (PollFd*)memory.Pointer;
            nuint count = (nuint)_count;
            while (true)
            {
                int ready;
                if (precise)
                {
                    Timespec timeout = Timespec.FromTicks(deadline.RemainingTicks());
                    ready = LibC.ppoll(entries, count, deadline.IsInfinite ? null : &timeout, mask);
                }
                else if (deadline.IsZero && count <= ZeroTimeoutLimits.PollEntries)
                {
                    ready = LibC.poll_zero_timeout(entries, count); // cannot block: no GC transition
                }
                else
                {
                    ready = LibC.poll(entries, count, deadline.RemainingMillisecondsRoundedUp());
                }

                if (ready >= 0)
                {
                    return ready;
                }

                var errno = (Errno)Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    throw new UnixException(errno, $"{(precise ? "ppoll" : "poll")}(nfds={count})");
                }

                InterruptCounter.Increment();
                if (deadline.HasExpired)
                {
                    return 0;
                }
            }
        }
        finally
        {
            if (referenced)
            {
                memory.DangerousRelease();
            }
        }
    }

    private void Grow()
    {
        int newCapacity = checked(_capacity * 2);
        NativeMemoryHandle bigger = NativeMemoryHandle.Allocate((nuint)newCapacity * (nuint)sizeof(PollFd));
        Buffer.MemoryCopy(_memory.Pointer, bigger.Pointer, bigger.Length, (nuint)_count * (nuint)sizeof(PollFd));
        NativeMemoryHandle old = _memory;
        _memory = bigger;
        _capacity = newCapacity;
        old.Dispose(); // freed now, or when a concurrent wait releases it
    }

    private static int DescriptorOf(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        ObjectDisposedException.ThrowIf(fd.IsClosed, fd);
        return EpollHandle.DescriptorOf(fd);
    }

    private static void ThrowIfFailed(Errno errno, string operation, object fd)
    {
        if (errno != Errno.None)
        {
            string number = fd is SafeHandle handle ? handle.DangerousGetHandle().ToString() : fd.ToString()!;
            throw new UnixException(errno, $"PollSet.{operation}(fd={number})");
        }
    }
}
