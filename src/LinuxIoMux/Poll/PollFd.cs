using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// One entry of a <see cref="PollSet"/>, laid out exactly as the kernel's <c>struct pollfd</c> (8 bytes:
/// int fd, short events, short revents), so <see cref="PollSet.Entries"/> is a view of the array poll(2) wrote.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct PollFd
{
    private readonly int _fd;
    private readonly PollEvents _events;
    private readonly PollEvents _returnedEvents;

    internal PollFd(int fd, PollEvents events)
    {
        _fd = fd;
        _events = events;
        _returnedEvents = PollEvents.None;
    }

    /// <summary>The descriptor (<c>pollfd.fd</c>).</summary>
    public int Fd => _fd;

    /// <summary>The requested events (<c>pollfd.events</c>).</summary>
    public PollEvents Events => _events;

    /// <summary>What the last wait reported (<c>pollfd.revents</c>); <see cref="PollEvents.None"/> if not ready.</summary>
    public PollEvents ReturnedEvents => _returnedEvents;

    /// <inheritdoc/>
    public override string ToString() => $"fd={_fd} events={_events} revents={_returnedEvents}";
}
