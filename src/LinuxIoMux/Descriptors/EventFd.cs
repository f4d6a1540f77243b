using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// An eventfd(2) counter: the cheapest way to wake a thread blocked in a wait. <see cref="Signal"/> adds to the
/// counter and makes the fd readable; <see cref="Consume"/> reads and resets it. Non-blocking and close-on-exec.
/// </summary>
/// <remarks>Signals coalesce: any number of them before a Consume wake the waiter once.</remarks>
/// <example>
/// <code>
/// using var wake = new EventFd();
/// epoll.Add(wake.Handle, EpollEvents.In, data: 0);
/// // another thread: wake.Signal();
/// </code>
/// </example>
public sealed class EventFd : IDisposable
{
    /// <summary>Creates an eventfd with counter 0 (EFD_NONBLOCK | EFD_CLOEXEC).</summary>
    /// <exception cref="UnixException">EMFILE, ENFILE, ENOMEM.</exception>
    public EventFd()
    {
        int fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0)
        {
            throw UnixException.FromLastError("eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)");
        }

        Handle = FileDescriptorHandle.Own(fd);
    }

    /// <summary>The descriptor to register for <c>In</c>.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>Adds 1 to the counter, making the fd readable. Safe from any thread.</summary>
    public void Signal()
    {
        Span<byte> one = stackalloc byte[sizeof(ulong)];
        BitConverter.TryWriteBytes(one, 1UL); // host byte order, as eventfd(2) requires
        // EAGAIN means the counter is at its maximum: the fd is readable already, which is all a signal is for.
        _ = Handle.Write(one);
    }

    /// <summary>Reads and resets the counter.</summary>
    /// <returns>The number of signals since the last Consume, 0 if none.</returns>
    public ulong Consume()
    {
        Span<byte> value = stackalloc byte[sizeof(ulong)];
        return Handle.Read(value) == sizeof(ulong) ? BitConverter.ToUInt64(value) : 0;
    }

    /// <summary>Closes the eventfd.</summary>
    public void Dispose() => Handle.Dispose();
}
