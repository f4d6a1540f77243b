using System.Net.Sockets;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Descriptors in known, settled readiness states, for comparing multiplexers with each other and with oracles:
/// idle, readable, peer closed, peer shut down its writing half, send buffer full; as socketpairs and loopback TCP.
/// </summary>
internal sealed class MixedReadinessFixture : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    public MixedReadinessFixture()
    {
        // Socketpairs: the kernel settles them synchronously.
        IdlePair = Pair();
        ReadablePair = Pair();
        ReadablePair.Second.Write("data"u8);
        PeerClosedPair = Pair();
        PeerClosedPair.Second.Dispose();
        ShutdownPair = Pair();
        Shutdown(ShutdownPair.Second.Fd);
        FullPair = Pair();
        SocketFill.UntilFull(FullPair.First);

        // TCP over loopback: wait until each state has arrived before anybody compares.
        IdleTcp = Tcp();
        ReadableTcp = Tcp();
        ReadableTcp.Client.Send("data"u8);
        AwaitReadable(ReadableTcp.Server);
        PeerClosedTcp = Tcp();
        PeerClosedTcp.Client.Close();
        AwaitReadable(PeerClosedTcp.Server);
        ShutdownTcp = Tcp();
        ShutdownTcp.Client.Shutdown(SocketShutdown.Send);
        AwaitReadable(ShutdownTcp.Server);
    }

    public (FileDescriptorHandle First, FileDescriptorHandle Second) IdlePair { get; }
    public (FileDescriptorHandle First, FileDescriptorHandle Second) ReadablePair { get; }
    public (FileDescriptorHandle First, FileDescriptorHandle Second) PeerClosedPair { get; }
    public (FileDescriptorHandle First, FileDescriptorHandle Second) ShutdownPair { get; }
    public (FileDescriptorHandle First, FileDescriptorHandle Second) FullPair { get; }
    public (Socket Client, Socket Server) IdleTcp { get; }
    public (Socket Client, Socket Server) ReadableTcp { get; }
    public (Socket Client, Socket Server) PeerClosedTcp { get; }
    public (Socket Client, Socket Server) ShutdownTcp { get; }

    /// <summary>The descriptors to wait on (the observing end of each pair), all below FD_SETSIZE.</summary>
    public int[] Watched => new[]
    {
        IdlePair.First.Fd, ReadablePair.First.Fd, PeerClosedPair.First.Fd, ShutdownPair.First.Fd, FullPair.First.Fd,
        FullPair.Second.Fd, // readable: its peer filled it
        (int)IdleTcp.Server.Handle, (int)ReadableTcp.Server.Handle, (int)PeerClosedTcp.Server.Handle, (int)ShutdownTcp.Server.Handle,
    };

    /// <summary>What select(2) would put in the read set: the fds the states above make readable.</summary>
    public int[] ExpectedReadable => new[]
    {
        ReadablePair.First.Fd, PeerClosedPair.First.Fd, ShutdownPair.First.Fd, FullPair.Second.Fd,
        (int)ReadableTcp.Server.Handle, (int)PeerClosedTcp.Server.Handle, (int)ShutdownTcp.Server.Handle,
    };

    /// <summary>Every watched fd except the one whose send buffer is full.</summary>
    public int[] ExpectedWritable => Watched.Where(fd => fd != FullPair.First.Fd).ToArray();

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    private (FileDescriptorHandle First, FileDescriptorHandle Second) Pair()
    {
        var pair = SocketPair.Create();
        _owned.Add(pair.First);
        _owned.Add(pair.Second);
        return pair;
    }

    private (Socket Client, Socket Server) Tcp()
    {
        var pair = Loopback.TcpPair();
        _owned.Add(pair.Client);
        _owned.Add(pair.Server);
        return pair;
    }

    private static void Shutdown(int fd)
    {
        if (TestLibC.shutdown(fd, TestLibC.SHUT_WR) != 0)
        {
            throw new InvalidOperationException("shutdown(SHUT_WR) failed");
        }
    }

    private static void AwaitReadable(Socket socket)
    {
        if (!socket.Poll(TimeSpan.FromSeconds(20), SelectMode.SelectRead))
        {
            throw new TimeoutException("loopback TCP state did not arrive");
        }
    }
}
