using System.Runtime.InteropServices;
using LinuxIoMux.Interop;
using LinuxIoMux.Timing;

namespace LinuxIoMux;

/// <summary>
/// An epoll instance (epoll(7)): a kernel interest list plus a ready list, owned as a SafeHandle over the fd that
/// <c>epoll_create1(EPOLL_CLOEXEC)</c> returns.
/// </summary>
/// <remarks>
/// <para><b>What the kernel promises.</b> Level-triggered by default: an fd is reported by every wait while it is
/// ready. With <see cref="EpollEvents.EdgeTriggered"/> it is reported once per change and the caller must read or
/// write until EAGAIN before waiting again. Events can be spurious; treat readiness as a hint and handle EAGAIN.
/// <see cref="EpollEvents.Err"/> and <see cref="EpollEvents.Hup"/> are reported whether requested or not.</para>
/// <para><b>Descriptor lifetime.</b> A SafeHandle passed to Add, Modify or Remove is referenced only for the duration
/// of that one syscall. Holding a reference for the registration's lifetime would make <c>Socket.Dispose</c> spin
/// forever (SafeSocketHandle waits for every reference; dotnet/runtime#40301). Closing a registered fd removes it
/// from the interest list by itself, unless a dup of it is still open; <see cref="Remove(SafeHandle)"/> of an
/// already-closed handle returns false. A new fd may reuse the number: events queued for the old one can still
/// arrive, so a reactor should put a generation into <see cref="EpollEvent.Data"/>.</para>
/// <para><b>Threads.</b> Add, Modify and Remove may run while another thread waits (the kernel locks). Disposing
/// while another thread waits is safe: the fd is closed when that wait returns, and every call made after Dispose
/// throws ObjectDisposedException, even while that wait is still in progress.</para>
/// <para><b>Signals.</b> EINTR is retried with the time left on the monotonic clock.</para>
/// </remarks>
/// <example>
/// <code>
/// using var epoll = EpollHandle.Create();
/// epoll.Add(socket.SafeHandle, EpollEvents.In, data: 42);
/// Span&lt;EpollEvent&gt; events = stackalloc EpollEvent[64];
/// int ready = epoll.Wait(events, timeoutMilliseconds: 1000);
/// foreach (EpollEvent e in events[..ready]) Console.WriteLine($"{e.Data}: {e.Events}");
/// </code>
/// </example>
public sealed unsafe partial class EpollHandle : SafeHandle
{
    /// <summary>
    /// The kernel's EP_MAX_EVENTS (INT_MAX / sizeof(struct epoll_event)), using the larger 16-byte record so the
    /// limit holds on every architecture. Longer spans are simply not filled beyond it.
    /// </summary>
    internal const int MaxEventsPerWait = int.MaxValue / 16;

    /// <summary>Bits the kernel accepts together with EPOLLEXCLUSIVE (fs/eventpoll.c, EPOLLEXCLUSIVE_OK_BITS).</summary>
    private const EpollEvents ExclusiveCompatible = EpollEvents.In | EpollEvents.Out | EpollEvents.Err | EpollEvents.Hup
        | EpollEvents.WakeUp | EpollEvents.EdgeTriggered | EpollEvents.Exclusive;

    /// <summary>Set once epoll_pwait2 turned out to be missing (kernel before 5.11 or glibc before 2.35).</summary>
    private static volatile bool s_pwait2Missing;

    /// <summary>
    /// Set by Dispose. SafeHandle marks itself closed only when the last reference is released, so while another
    /// thread is blocked in a wait (holding a reference) DangerousAddRef still succeeds after Dispose: without this
    /// flag a second Wait would run, and a Wait(-1) would keep the "disposed" fd open indefinitely.
    /// </summary>
    private volatile bool _disposed;

    private EpollHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>Creates an epoll instance with <c>epoll_create1(EPOLL_CLOEXEC)</c>.</summary>
    /// <exception cref="UnixException">EMFILE, ENFILE or ENOMEM.</exception>
    public static EpollHandle Create()
    {
        int fd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (fd < 0)
        {
            throw UnixException.FromLastError("epoll_create1(EPOLL_CLOEXEC)");
        }

        var epoll = new EpollHandle();
        epoll.SetHandle(fd);
        return epoll;
    }

    /// <summary>Registers <paramref name="fd"/> for <paramref name="events"/> (epoll_ctl(EPOLL_CTL_ADD)).</summary>
    /// <param name="fd">The descriptor; referenced only during the call.</param>
    /// <param name="events">Events to wait for, plus input flags such as EdgeTriggered or OneShot.</param>
    /// <param name="data">Returned unchanged in <see cref="EpollEvent.Data"/>.</param>
    /// <exception cref="UnixException">EEXIST (already registered), EPERM (fd does not support polling, e.g. a
    /// regular file), EBADF, ELOOP, ENOMEM, ENOSPC.</exception>
    /// <exception cref="ArgumentException">Exclusive with OneShot or with bits other than In, Out, Err, Hup, WakeUp,
    /// EdgeTriggered (checked before the syscall).</exception>
    /// <exception cref="ObjectDisposedException">This instance or <paramref name="fd"/> is disposed.</exception>
    public void Add(SafeHandle fd, EpollEvents events, ulong data) =>
        ThrowIfFailed(TryAdd(fd, events, data), "ADD", fd);

    /// <inheritdoc cref="Add(SafeHandle, EpollEvents, ulong)"/>
    public void Add(int fd, EpollEvents events, ulong data) =>
        ThrowIfFailed(TryAdd(fd, events, data), "ADD", fd);

    /// <summary>Changes the events and data of a registered fd (epoll_ctl(EPOLL_CTL_MOD)); re-arms a OneShot fd.</summary>
    /// <exception cref="UnixException">ENOENT (not registered), EBADF, ENOMEM.</exception>
    /// <exception cref="ArgumentException"><paramref name="events"/> contains Exclusive, which the kernel rejects
    /// for MOD (checked before the syscall).</exception>
    /// <exception cref="ObjectDisposedException">This instance or <paramref name="fd"/> is disposed.</exception>
    public void Modify(SafeHandle fd, EpollEvents events, ulong data) =>
        ThrowIfFailed(TryModify(fd, events, data), "MOD", fd);

    /// <inheritdoc cref="Modify(SafeHandle, EpollEvents, ulong)"/>
    public void Modify(int fd, EpollEvents events, ulong data) =>
        ThrowIfFailed(TryModify(fd, events, data), "MOD", fd);

    /// <summary>Unregisters <paramref name="fd"/> (epoll_ctl(EPOLL_CTL_DEL)).</summary>
    /// <returns>True if removed; false if there was nothing to remove: <paramref name="fd"/> is not registered here
    /// (ENOENT) or already closed (EBADF; the kernel dropped it when it was closed). The same contract as
    /// <see cref="PollSet.Remove(int)"/> and <see cref="IMultiplexer.Remove"/>.</returns>
    /// <exception cref="UnixException">Any other errno (ENOMEM).</exception>
    /// <exception cref="ObjectDisposedException">This instance is disposed.</exception>
    public bool Remove(SafeHandle fd) => RemoveResult(TryRemove(fd), fd);

    /// <inheritdoc cref="Remove(SafeHandle)"/>
    public bool Remove(int fd) => RemoveResult(TryRemove(fd), fd);

    /// <summary>Add without throwing for kernel errors: returns <see cref="Errno.None"/> or the errno.</summary>
    /// <remarks>Argument errors (negative fd, invalid flag combinations) still throw: they are bugs, not conditions.</remarks>
    public Errno TryAdd(SafeHandle fd, EpollEvents events, ulong data)
    {
        ValidateForAdd(events);
        return ControlHandle(LibC.EPOLL_CTL_ADD, fd, events, data);
    }

    /// <inheritdoc cref="TryAdd(SafeHandle, EpollEvents, ulong)"/>
    public Errno TryAdd(int fd, EpollEvents events, ulong data)
    {
        ValidateForAdd(events);
        return Control(LibC.EPOLL_CTL_ADD, ValidateFd(fd), events, data);
    }

    /// <summary>Modify without throwing for kernel errors: returns <see cref="Errno.None"/> or the errno.</summary>
    public Errno TryModify(SafeHandle fd, EpollEvents events, ulong data)
    {
        ValidateForModify(events);
        return ControlHandle(LibC.EPOLL_CTL_MOD, fd, events, data);
    }

    /// <inheritdoc cref="TryModify(SafeHandle, EpollEvents, ulong)"/>
    public Errno TryModify(int fd, EpollEvents events, ulong data)
    {
        ValidateForModify(events);
        return Control(LibC.EPOLL_CTL_MOD, ValidateFd(fd), events, data);
    }

    /// <summary>Remove without throwing: <see cref="Errno.None"/>, or EBADF for a closed fd, ENOENT if unregistered.</summary>
    public Errno TryRemove(SafeHandle fd)
    {
        ArgumentNullException.ThrowIfNull(fd);
        // A disposed epoll is reported as such even when the fd is closed too; only then is the closed fd EBADF.
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (fd.IsClosed)
        {
            return Errno.EBADF;
        }

        return ControlHandle(LibC.EPOLL_CTL_DEL, fd, EpollEvents.None, 0);
    }

    /// <inheritdoc cref="TryRemove(SafeHandle)"/>
    public Errno TryRemove(int fd) => Control(LibC.EPOLL_CTL_DEL, ValidateFd(fd), EpollEvents.None, 0);

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    private Errno ControlHandle(int op, SafeHandle fd, EpollEvents events, ulong data)
    {
        ArgumentNullException.ThrowIfNull(fd);
        bool fdReferenced = false;
        // SAFETY: held only for this syscall (never for the registration, see the class remarks), so the fd cannot be
        // closed and its number reused between reading it and epoll_ctl using it.
        fd.DangerousAddRef(ref fdReferenced);
        try
        {
            return Control(op, DescriptorOf(fd), events, data);
        }
        finally
        {
            if (fdReferenced)
            {
                fd.DangerousRelease();
            }
        }
    }

    private Errno Control(int op, int fd, EpollEvents events, ulong data)
    {
        bool selfReferenced = false;
        DangerousAddRef(ref selfReferenced);
        try
        {
            // Disposed while another thread's wait holds a reference (AddRef succeeded): released by the finally.
            ObjectDisposedException.ThrowIf(_disposed, this);
            byte* nativeEvent = stackalloc byte[EpollAbi.AlignedStride];
            EpollAbi.Write(nativeEvent, EpollAbi.NativeStride, events, data);
            // SAFETY: nativeEvent is a live stack buffer in the kernel's layout for this architecture.
            return LibC.epoll_ctl((int)handle, op, fd, nativeEvent) == 0
                ? Errno.None
                : (Errno)Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (selfReferenced)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>The fd number inside a SafeHandle, rejecting values that cannot be descriptors.</summary>
    internal static int DescriptorOf(SafeHandle fd)
    {
        nint value = fd.DangerousGetHandle();
        if (value < 0 || value > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(fd), value, "The handle does not hold a file descriptor.");
        }

        return (int)value;
    }

    private static int ValidateFd(int fd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        return fd;
    }

    private static void ValidateForAdd(EpollEvents events)
    {
        if ((events & EpollEvents.Exclusive) == 0)
        {
            return;
        }

        if ((events & EpollEvents.OneShot) != 0)
        {
            throw new ArgumentException("epoll_ctl(ADD): Exclusive cannot be combined with OneShot (the kernel says EINVAL).", nameof(events));
        }

        EpollEvents unsupported = events & ~ExclusiveCompatible;
        if (unsupported != 0)
        {
            throw new ArgumentException(
                $"epoll_ctl(ADD): Exclusive allows only In, Out, Err, Hup, WakeUp and EdgeTriggered, not {unsupported} (the kernel says EINVAL).",
                nameof(events));
        }
    }

    private static void ValidateForModify(EpollEvents events)
    {
        if ((events & EpollEvents.Exclusive) != 0)
        {
            throw new ArgumentException(
                "epoll_ctl(MOD): Exclusive is accepted by ADD only (the kernel says EINVAL); Remove and Add the fd instead.",
                nameof(events));
        }
    }

    private static bool RemoveResult(Errno errno, object fd) => errno switch
    {
        Errno.None => true,
        Errno.EBADF or Errno.ENOENT => false,
        _ => throw new UnixException(errno, $"epoll_ctl(DEL, fd={Describe(fd)})"),
    };

    private static void ThrowIfFailed(Errno errno, string op, object fd)
    {
        if (errno != Errno.None)
        {
            throw new UnixException(errno, $"epoll_ctl({op}, fd={Describe(fd)})");
        }
    }

    private static string Describe(object fd) => fd is SafeHandle handle ? handle.DangerousGetHandle().ToString() : fd.ToString()!;
}
