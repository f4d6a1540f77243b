using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LinuxIoMux.Tests.Docs;

/// <summary>The C# blocks of docs/async-servers.md, verbatim (see DocsExamplesTests.cs).</summary>
public partial class DocsExamplesTests
{
    // ---------------------------------------------------------------- docs/async-servers.md

    [Fact]
    public void AsyncServers_examples_print_what_the_page_says()
    {
        string[] lines = Capture(AsyncServers_HandlerPerConnection);
        Assert.Equal(["True", "0"], lines);

        lines = Capture(AsyncServers_HandlerThrows);
        Assert.Equal(["0", "bad request"], lines);
    }

    private static void AsyncServers_HandlerPerConnection()
    {
        using var group = new ReactorGroup(MultiplexerKind.Epoll, new IPEndPoint(IPAddress.Loopback, 0),
            async (socket, stopping) =>
            {
                // On the accepting loop's thread, and back on it after every await.
                var buffer = new byte[256];
                int received;
                while ((received = await socket.ReceiveAsync(buffer, stopping)) > 0)
                {
                    string line = Encoding.ASCII.GetString(buffer, 0, received).Trim();
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"{line} from {Thread.CurrentThread.Name}\n"), stopping);
                }
            },
            loopCount: 2);
        group.Start();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(group.LocalEndPoint);
        client.Send("hello\n"u8);
        var reply = new byte[64];
        string text = Encoding.ASCII.GetString(reply, 0, client.Receive(reply));
        Console.WriteLine(text.StartsWith("hello from reactor-"));   // True

        group.Stop();                                       // the handler's socket is disposed: its await ends, the loop returns
        Console.WriteLine(client.Receive(reply));           // 0: the group closed the connection
    }

    private static void AsyncServers_HandlerThrows()
    {
        var reported = new List<string>();
        using var group = new ReactorGroup(MultiplexerKind.Epoll, new IPEndPoint(IPAddress.Loopback, 0),
            async (socket, _) =>
            {
                var buffer = new byte[16];
                await socket.ReceiveAsync(buffer);
                throw new InvalidOperationException("bad request");
            },
            loopCount: 1);
        group.UnhandledException += (_, e) => { lock (reported) reported.Add(((Exception)e.ExceptionObject).Message); };
        group.Start();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(group.LocalEndPoint);
        client.Send("x"u8);
        Console.WriteLine(client.Receive(new byte[1]));     // 0: the connection was closed after the handler threw
        group.Stop();
        Console.WriteLine(string.Join(", ", reported));     // bad request
    }
}
