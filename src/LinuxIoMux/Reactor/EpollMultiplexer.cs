using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// <see cref="IMultiplexer"/> over epoll(7): the kernel keeps the interest list, a wait costs O(ready), and
/// <see cref="Interest.EdgeTriggered"/> is available.
/// </summary>
/// <remarks>
/// <para>Readable registers EPOLLIN | EPOLLRDHUP (so a half-close is reported as a hang-up hint), writable EPOLLOUT.
/// EPOLLERR and EPOLLHUP are always reported by the kernel.</para>
/// <para>The wait hands the caller's <see cref="ReadyEvent"/> buffer to epoll_wait as <see cref="EpollEvent"/>s (same
/// 16-byte shape) and converts each record in place: no intermediate buffer.</para>
/// <para>A closed descriptor leaves the kernel's interest list by itself (unless dup'ed); Remove of it still clears
/// this table and tolerates the kernel's EBADF/ENOENT.</para>
/// </remarks>
public sealed class EpollMultiplexer : Multiplexer
{
    private readonly EpollHandle _epoll;

    /// <summary>Creates the epoll instance (epoll_create1(EPOLL_CLOEXEC)).</summary>
    /// <exception cref="UnixException">EMFILE, ENFILE, ENOMEM.</exception>
    public EpollMultiplexer()
    {
        _epoll = EpollHandle.Create();
    }

    /// <inheritdoc/>
    public override MultiplexerKind Kind => MultiplexerKind.Epoll;

    private protected override bool SupportsEpollModes => true;

    private protected override void AddToKernel(int fd, Interest interest, ulong token) => _epoll.Add(fd, ToEpoll(interest), token);

    private protected override void ModifyInKernel(int fd, Interest interest, ulong token) => _epoll.Modify(fd, ToEpoll(interest), token);

    private protected override void RemoveFromKernel(int fd, Interest interest)
    {
        Errno errno = _epoll.TryRemove(fd);
        // EBADF: already closed, the kernel dropped it. ENOENT: closed, and the number reused by an unregistered fd.
        if (errno is not (Errno.None or Errno.EBADF or Errno.ENOENT))
        {
            throw new UnixException(errno, $"epoll_ctl(DEL, fd={fd})");
        }
    }

    private protected override int WaitCore(Span<ReadyEvent> events, TimeSpan timeout)
    {
        // SAFETY: ReadyEvent and EpollEvent are both 16-byte unmanaged structs (explicit layouts, Size = 16), so the
        // reinterpretation covers exactly the caller's memory and the kernel writes only inside it; each record is
        // then rewritten in place, read completely into a local before it is overwritten.
        Span<EpollEvent> raw = MemoryMarshal.Cast<ReadyEvent, EpollEvent>(events);
        int ready = _epoll.Wait(raw, timeout);
        for (int i = 0; i < ready; i++)
        {
            EpollEvent e = raw[i];
            events[i] = new ReadyEvent(e.Data, ToReadiness(e.Events));
        }

        return ready;
    }

    private protected override void DisposeCore() => _epoll.Dispose();

    private static EpollEvents ToEpoll(Interest interest)
    {
        EpollEvents events = EpollEvents.None;
        if ((interest & Interest.Readable) != 0)
        {
            events |= EpollEvents.In | EpollEvents.RdHup;
        }

        if ((interest & Interest.Writable) != 0)
        {
            events |= EpollEvents.Out;
        }

        if ((interest & Interest.Priority) != 0)
        {
            events |= EpollEvents.Pri;
        }

        if ((interest & Interest.EdgeTriggered) != 0)
        {
            events |= EpollEvents.EdgeTriggered;
        }

        if ((interest & Interest.OneShot) != 0)
        {
            events |= EpollEvents.OneShot;
        }

        if ((interest & Interest.Exclusive) != 0)
        {
            events = events & ~EpollEvents.RdHup | EpollEvents.Exclusive; // RDHUP is not allowed with EXCLUSIVE
        }

        return events;
    }

    private static Readiness ToReadiness(EpollEvents events) => Readiness.From(
        readable: (events & EpollEvents.In) != 0,
        writable: (events & EpollEvents.Out) != 0,
        readClosed: (events & (EpollEvents.Hup | EpollEvents.RdHup)) != 0,
        writeClosed: (events & (EpollEvents.Hup | EpollEvents.Err)) != 0,
        error: (events & EpollEvents.Err) != 0,
        priority: (events & EpollEvents.Pri) != 0);
}
