using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>
/// <c>echo-server select|poll|epoll</c>: a one-loop <see cref="Reactor"/> echo server on 127.0.0.1, the managed
/// counterpart of native/echo/echo_server.c. Prints "listening on 127.0.0.1:PORT" and serves until standard input
/// closes. It runs in its own process so that, like the C server, its descriptors count against its own
/// RLIMIT_NOFILE and not the client's.
/// </summary>
internal static class ReactorEchoServer
{
    /// <summary>The listen backlog: 4096, like the C server (and the kernel's default somaxconn since 5.4).</summary>
    private const int Backlog = 4096;

    /// <summary>Runs the server; returns the exit code.</summary>
    internal static int Run(string[] args)
    {
        if (args.Length != 1 || !Enum.TryParse(args[0], ignoreCase: true, out MultiplexerKind kind))
        {
            Console.Error.WriteLine("usage: LinuxIoMux.Benchmarks echo-server select|poll|epoll");
            return 2;
        }

        FdLimits limits = FdLimits.Current;
        FdLimits.TryRaiseSoftLimit(limits.Hard, out _);
        var connections = new List<EchoConnection>();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(Backlog);
        using var reactor = new Reactor(kind);
        using var acceptor = new Acceptor(reactor, listener, socket => Accept(reactor, socket, connections));
        Console.WriteLine($"listening on 127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}");
        Console.Out.Flush();

        var stdinWatcher = new Thread(() =>
        {
            Console.In.ReadToEnd();
            reactor.Stop();
        }) { IsBackground = true, Name = "stdin-watcher" };
        stdinWatcher.Start();
        reactor.Run();
        foreach (EchoConnection connection in connections)
        {
            connection.Close();
        }

        return 0;
    }

    private static void Accept(Reactor reactor, Socket socket, List<EchoConnection> connections)
    {
        socket.NoDelay = true;
        var connection = new EchoConnection(socket);
        try
        {
            reactor.Register(socket, Interest.Readable, EchoConnection.OnReady, connection);
            connections.Add(connection);
        }
        catch (ArgumentOutOfRangeException e)
        {
            // select: an fd of 1024 or more cannot be watched; refuse the connection so the client sees it closed.
            Console.Error.WriteLine($"echo-server: connection refused: {e.Message.Split('.')[0]}");
            socket.Dispose();
        }
    }
}
