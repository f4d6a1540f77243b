using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// n connected Unix socketpairs (<see cref="SocketPair.Create"/>): the first end of each is what the multiplexers
/// watch, the second is its peer. Exactly one watched end, <see cref="ReadyIndex"/>, has one unread byte.
/// </summary>
/// <remarks>
/// The byte is never read, and all three multiplexers are level-triggered here, so that one end stays readable for
/// every wait: each wait must report exactly one ready descriptor.
/// </remarks>
internal sealed class SocketPairSet : IDisposable
{
    private readonly List<FileDescriptorHandle> _watched;
    private readonly List<FileDescriptorHandle> _peers;

    private SocketPairSet(int count)
    {
        _watched = new List<FileDescriptorHandle>(count);
        _peers = new List<FileDescriptorHandle>(count);
    }

    /// <summary>The ends to register with a multiplexer, in creation order.</summary>
    internal IReadOnlyList<FileDescriptorHandle> Watched => _watched;

    /// <summary>The index in <see cref="Watched"/> of the one readable end: the middle one.</summary>
    internal int ReadyIndex => _watched.Count / 2;

    /// <summary>The highest descriptor number among the watched ends (what select's cost and limit depend on).</summary>
    internal int HighestWatchedFd => _watched.Max(handle => handle.Fd);

    /// <summary>Creates <paramref name="count"/> socketpairs and writes one byte to the peer of the middle one.</summary>
    /// <exception cref="UnixException">socketpair or write failed (EMFILE when RLIMIT_NOFILE is too low).</exception>
    internal static SocketPairSet Create(int count)
    {
        var set = new SocketPairSet(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                (FileDescriptorHandle first, FileDescriptorHandle second) = SocketPair.Create();
                set._watched.Add(first);
                set._peers.Add(second);
            }

            if (set._peers[set.ReadyIndex].Write("!"u8) != 1)
            {
                throw new InvalidOperationException("Writing one byte to a fresh socketpair did not succeed.");
            }

            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Closes every descriptor.</summary>
    public void Dispose()
    {
        foreach (FileDescriptorHandle handle in _watched)
        {
            handle.Dispose();
        }

        foreach (FileDescriptorHandle handle in _peers)
        {
            handle.Dispose();
        }
    }
}
