using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using LinuxIoMux.AspNetCore;
using LinuxIoMux.Tests.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LinuxIoMux.Tests.Docs;

/// <summary>The C# blocks of docs/pipelines.md and docs/aspnetcore.md, verbatim (see DocsExamplesTests.cs).</summary>
public partial class DocsExamplesTests
{
    // ---------------------------------------------------------------- docs/pipelines.md

    [Fact]
    public async Task Pipelines_echo_server_echoes_and_half_closes()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        var loop = new Thread(() => reactor.Run()) { IsBackground = true };
        loop.Start();
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(8);
        using var stop = new CancellationTokenSource();
        Task serving = reactor.Spawn(() => ServeAsync(reactor, listening, stop.Token));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 60_000 };
        client.Connect(listening.LocalEndPoint!);
        client.Send("hello"u8);
        client.Shutdown(SocketShutdown.Send);
        var echoed = new List<byte>();
        byte[] buffer = new byte[64];
        int n;
        while ((n = client.Receive(buffer)) > 0)
        {
            echoed.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Equal("hello"u8.ToArray(), echoed.ToArray()); // then end of stream: the echo completed its Output
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serving.WaitAsync(TimeSpan.FromSeconds(60)));
        reactor.Stop();
        loop.Join();
    }

    static async Task EchoAsync(Reactor reactor, ReactorSocket socket)
    {
        await using var pipe = new ReactorSocketPipe(reactor, socket);
        while (true)
        {
            ReadResult result = await pipe.Input.ReadAsync();
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                await pipe.Output.WriteAsync(segment);
            }

            pipe.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break; // the peer sent FIN
            }
        }
    }

    static async Task ServeAsync(Reactor reactor, Socket listening, CancellationToken stop)
    {
        using var listener = new ReactorSocket(reactor, listening);
        while (!stop.IsCancellationRequested)
        {
            ReactorSocket connection = await listener.AcceptAsync(stop);
            _ = EchoAsync(reactor, connection);
        }
    }

    // ---------------------------------------------------------------- docs/aspnetcore.md

    [Fact]
    public async Task AspNetCore_opt_in_serves_plaintext_on_the_reactor_loops()
    {
        WebApplication app = AspNetCore_OptIn(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        try
        {
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.IsType<LinuxIoMuxTransportFactory>(app.Services.GetServices<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>().Last());
            string response = await Task.Run(() =>
            {
                using var client = WireClient.Connect(new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
                client.Send(WireClient.Get("/plaintext"));
                return client.Wire.ReadResponse()!;
            });
            Assert.EndsWith("\r\n\r\nd\r\nHello, World!\r\n0\r\n\r\n", response); // a string result is sent chunked
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static WebApplication AspNetCore_OptIn(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseLinuxIoMux(options =>
        {
            options.Backend = MultiplexerKind.Epoll;
            options.LoopCount = Environment.ProcessorCount;
            options.ApplicationScheduling = ApplicationScheduling.Inline;
        });
        var app = builder.Build();
        app.MapGet("/plaintext", () => "Hello, World!");
        return app;
    }
}
