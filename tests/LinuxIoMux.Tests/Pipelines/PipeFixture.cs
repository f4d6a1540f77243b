using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Pipelines;

/// <summary>
/// A reactor running on its own thread, a loopback TCP connection whose server end is a <see cref="ReactorSocketPipe"/>
/// on that reactor, and whose other end (<see cref="Peer"/>) is a plain blocking socket the test drives.
/// </summary>
internal sealed class PipeFixture : IAsyncDisposable
{
    /// <summary>A hang detector, not a timing.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private readonly Thread _loop;

    private PipeFixture(Reactor reactor, Thread loop, Socket peer, ReactorSocketPipe pipe)
    {
        Reactor = reactor;
        _loop = loop;
        Peer = peer;
        Pipe = pipe;
    }

    public Reactor Reactor { get; }

    public Socket Peer { get; }

    public ReactorSocketPipe Pipe { get; }

    public static async Task<PipeFixture> StartAsync(MultiplexerKind kind, ReactorSocketPipeOptions? options = null)
    {
        options ??= new ReactorSocketPipeOptions { ApplicationScheduler = System.IO.Pipelines.PipeScheduler.ThreadPool };
        var reactor = new Reactor(kind);
        var loop = new Thread(() => reactor.Run()) { IsBackground = true, Name = "pipe-test-loop" };
        loop.Start();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)Hang.TotalMilliseconds,
            SendTimeout = (int)Hang.TotalMilliseconds,
        };
        peer.Connect(listener.LocalEndPoint!);
        Socket server = listener.Accept();
        ReactorSocketPipe? pipe = null;
        // A ReactorSocket is made and used on its loop's thread.
        await reactor.Spawn(() =>
        {
            pipe = new ReactorSocketPipe(reactor, new ReactorSocket(reactor, server), options);
            return Task.CompletedTask;
        }).WaitAsync(Hang);
        return new PipeFixture(reactor, loop, peer, pipe!);
    }

    /// <summary>
    /// Echoes on the loop whatever the pipe's input reads back to its output, segment by segment, until the input
    /// completes. Awaits without ConfigureAwait(false), as Kestrel's do.
    /// </summary>
    public Task SpawnEcho() => Reactor.Spawn(async () =>
    {
        while (true)
        {
            ReadResult result = await Pipe.Input.ReadAsync();
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                await Pipe.Output.WriteAsync(segment);
            }

            Pipe.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    });

    /// <summary>Reads from <see cref="Peer"/> until end of stream; returns everything read.</summary>
    public byte[] PeerReadToEnd()
    {
        using var all = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = Peer.Receive(buffer)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        // Bounded everywhere, and the peer and the loop are released even when the pipe never completes (a broken
        // pump): an unbounded Join on a loop that never stops hung the whole test run once.
        try
        {
            Pipe.Abort();
            await Pipe.Completion.WaitAsync(Hang);
        }
        finally
        {
            Peer.Dispose();
            Reactor.Stop();
            bool stopped = _loop.Join(Hang);
            if (stopped)
            {
                Reactor.Dispose();
            }

            Assert.True(stopped, $"the reactor's loop thread did not stop within {Hang.TotalSeconds} s of Reactor.Stop");
        }
    }
}
