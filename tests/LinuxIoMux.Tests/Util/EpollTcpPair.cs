using System.Net.Sockets;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// A connected loopback TCP pair (<see cref="Loopback.TcpPair"/>) whose Dispose cannot hang the test run: each socket
/// is disposed on a task with a generous bound, so if the library ever again keeps a SafeHandle reference for a
/// registration's lifetime (Socket.Dispose then spins forever, dotnet/runtime#40301) the test fails instead.
/// </summary>
internal sealed class EpollTcpPair : IDisposable
{
    private EpollTcpPair(Socket client, Socket server)
    {
        Client = client;
        Server = server;
    }

    public Socket Client { get; }

    public Socket Server { get; }

    public static EpollTcpPair Connect()
    {
        var (client, server) = Loopback.TcpPair();
        return new EpollTcpPair(client, server);
    }

    public void Deconstruct(out Socket client, out Socket server) => (client, server) = (Client, Server);

    /// <summary>Disposes <paramref name="socket"/> on another thread; fails if that does not return within the bound.</summary>
    public static void DisposeWithin(Socket socket)
    {
        Task dispose = Task.Run(socket.Dispose);
        if (!dispose.Wait(EpollAssert.HangDetectorMilliseconds))
        {
            throw new TimeoutException(
                $"Socket.Dispose did not return within {EpollAssert.HangDetectorMilliseconds} ms: a SafeHandle reference is still held.");
        }
    }

    public void Dispose()
    {
        try
        {
            DisposeWithin(Client);
        }
        finally
        {
            DisposeWithin(Server);
        }
    }
}
