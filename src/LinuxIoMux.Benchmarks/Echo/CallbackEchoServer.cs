using System.Net.Sockets;
using LinuxIoMux.Benchmarks.Latency;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// The callback reactor echo server: one <see cref="Reactor"/> (epoll) on a loop thread, an <see cref="Acceptor"/>, and
/// per connection the latency benchmark's <see cref="EchoConnection"/> handler (read, echo, back-pressure).
/// </summary>
internal static class CallbackEchoServer
{
    /// <summary>Starts accepting on <paramref name="listener"/> from a background loop thread.</summary>
    internal static void Start(Socket listener)
    {
        var reactor = new Reactor(MultiplexerKind.Epoll);
        var acceptor = new Acceptor(reactor, listener, socket =>
        {
            socket.NoDelay = true;
            reactor.Register(socket, Interest.Readable, EchoConnection.OnReady, new EchoConnection(socket));
        });
        var loop = new Thread(() =>
        {
            using (reactor)
            using (acceptor)
            {
                reactor.Run();
            }
        }) { IsBackground = true, Name = "echo-callback-loop" };
        loop.Start();
    }
}
