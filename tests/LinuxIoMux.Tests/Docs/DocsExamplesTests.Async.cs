using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIoMux.Tests.Docs;

/// <summary>The C# blocks of docs/async.md, verbatim (see DocsExamplesTests.cs).</summary>
public partial class DocsExamplesTests
{
    // ---------------------------------------------------------------- docs/async.md

    [Fact]
    public void Async_examples_print_what_the_page_says()
    {
        Assert.Equal(["ping"], Capture(Async_EchoServerAndClient));
        Assert.Equal(["readable=True"], Capture(Async_WaitOnARegistration));
        Assert.Equal(["through a pipe"], Capture(Async_StreamOverAPipe));
    }

    private static void Async_EchoServerAndClient()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(128);
        using var server = new ReactorSocket(reactor, listener);  // non-blocking, registered

        Task serving = reactor.Spawn(async () =>
        {
            using ReactorSocket connection = await server.AcceptAsync();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = await connection.ReceiveAsync(buffer)) > 0)   // 0: the peer shut down its side
                await connection.SendAsync(buffer.AsMemory(0, n));    // all bytes, or an exception
        });

        Task client = reactor.Spawn(async () =>
        {
            using ReactorSocket connection = await ReactorSocket.ConnectAsync(reactor, listener.LocalEndPoint!);
            await connection.SendAsync("ping"u8.ToArray());
            connection.ShutdownSend();
            byte[] reply = new byte[16];
            int n = await connection.ReceiveAsync(reply);
            Console.WriteLine(Encoding.ASCII.GetString(reply, 0, n)); // ping
            reactor.Stop();
        });

        reactor.Run();
    }

    private static void Async_WaitOnARegistration()
    {
        using var reactor = new Reactor(MultiplexerKind.Poll);
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        {
            using Registration registration = reactor.Register(left, Interest.Readable, static (_, _) => { });
            Task waiting = reactor.Spawn(async () =>
            {
                Readiness readiness = await registration.WaitAsync(Interest.Readable);
                Console.WriteLine($"readable={readiness.IsReadable}");  // readable=True
                reactor.Stop();
            });
            right.Write("x"u8);
            reactor.Run();
        }
    }

    private static void Async_StreamOverAPipe()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        var (readEnd, writeEnd) = Pipe.Create();
        using var reader = new ReactorStream(reactor, readEnd);
        var writer = new ReactorStream(reactor, writeEnd);

        reactor.Spawn(async () =>
        {
            await writer.WriteAsync("through a pipe"u8.ToArray());
            await writer.DisposeAsync();                            // the reader sees end of stream
        });
        reactor.Spawn(async () =>
        {
            using var text = new StreamReader(reader);
            Console.WriteLine(await text.ReadToEndAsync());         // through a pipe
            reactor.Stop();
        });
        reactor.Run();
    }
}
