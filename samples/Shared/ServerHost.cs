using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Samples;

/// <summary>
/// Runs a request/response server on a <see cref="ReactorGroup"/> until SIGINT or SIGTERM, then shuts down cleanly:
/// loops stopped, connections and listeners closed, exit code 0.
/// </summary>
internal static class ServerHost
{
    /// <summary>Serves until a signal arrives.</summary>
    /// <param name="name">Used in every line printed, e.g. "resp server".</param>
    /// <param name="options">Backend, endpoint and loop count.</param>
    /// <param name="createProcessor">Makes the processor of one loop (called once per loop, on that loop).</param>
    internal static int Run(string name, ServerOptions options, Func<IRequestProcessor> createProcessor)
    {
        var loops = new ConcurrentDictionary<Reactor, (IRequestProcessor Processor, ConnectionSweeper Sweeper)>();
        (IRequestProcessor Processor, ConnectionSweeper Sweeper) LoopOf(Reactor reactor) =>
            loops.GetOrAdd(reactor, r => (createProcessor(), new ConnectionSweeper(r, options.RequestTimeout)));
        var groupOptions = new ReactorGroupOptions { Kind = options.Backend, LoopCount = options.Loops, AcceptMode = options.AcceptMode, PinThreads = options.PinThreads };
        int closedByShutdown = 0; // async handlers whose socket the group's Stop disposed
        ReactorGroup? group = null;
        try
        {
            group = options.Api == ServerApi.Async
                ? new ReactorGroup(options.Endpoint, async (socket, _) =>
                {
                    // The handler runs on the loop that owns the socket: that loop's processor and sweeper.
                    var loop = LoopOf(socket.Reactor);
                    if (await new AsyncProtocolConnection(socket, loop.Processor, loop.Sweeper).RunAsync())
                    {
                        Interlocked.Increment(ref closedByShutdown);
                    }
                }, groupOptions)
                : new ReactorGroup(options.Endpoint, (reactor, socket) =>
                {
                    var loop = LoopOf(reactor);
                    _ = new ProtocolConnection(reactor, socket, loop.Processor, loop.Sweeper);
                }, groupOptions);
        }
        catch (PlatformNotSupportedException e)
        {
            // io_uring disabled, blocked or missing here: the message says which and what to do; not a crash.
            Console.Error.WriteLine($"{name}: {e.Message}");
            return 1;
        }

        using var owned = group;
        group.UnhandledException += (_, e) => Console.Error.WriteLine($"{name}: {((Exception)e.ExceptionObject).Message}");

        using var stop = new ManualResetEventSlim();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we shut down ourselves, after the loops have stopped
            stop.Set();
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        group.Start();
        Console.WriteLine($"{name}: {(options.Backend == MultiplexerKind.IoUring ? "io_uring" : options.Backend.ToString().ToLowerInvariant())}, {options.Loops} loop(s), accept {options.AcceptMode}{(options.PinThreads ? ", pinned" : "")}{(options.Api == ServerApi.Async ? ", async api" : "")}, listening on {group.LocalEndPoint} (Ctrl+C to stop)");
        stop.Wait();

        Console.WriteLine($"{name}: stopping");
        group.Stop(); // every loop has returned: connections may now be closed from this thread (async ones are closed)
        int open = Volatile.Read(ref closedByShutdown);
        foreach ((_, ConnectionSweeper sweeper) in loops.Values)
        {
            open += sweeper.Count;
            sweeper.CloseAll();
        }

        long accepted = group.Acceptors.Sum(acceptor => acceptor?.AcceptedCount ?? 0);
        Console.WriteLine($"{name}: stopped ({accepted} connection(s) accepted, {open} closed at shutdown)");
        Console.WriteLine($"{name}: accepted per loop: {string.Join(", ", group.Acceptors.Select(acceptor => acceptor?.AcceptedCount ?? 0))}");
        return 0;
    }
}
