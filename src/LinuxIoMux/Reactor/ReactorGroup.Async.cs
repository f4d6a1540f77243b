using System.Net;

namespace LinuxIoMux;

/// <summary>A <see cref="ReactorGroup"/> that runs an async handler per connection (DESIGN.md layer 3).</summary>
public sealed partial class ReactorGroup
{
    /// <summary>
    /// Creates the loops and their listeners for async connection handlers (not yet accepting: call <see cref="Start"/>).
    /// </summary>
    /// <param name="kind">The multiplexer every loop uses.</param>
    /// <param name="endpoint">Where to listen; port 0 picks a free port, shared by all the listeners.</param>
    /// <param name="handler">Serves one connection; see <see cref="ReactorGroup(IPEndPoint, Func{ReactorSocket, CancellationToken, Task}, ReactorGroupOptions)"/>.</param>
    /// <param name="loopCount">Number of loops; 0 means <see cref="Environment.ProcessorCount"/>.</param>
    public ReactorGroup(MultiplexerKind kind, IPEndPoint endpoint, Func<ReactorSocket, CancellationToken, Task> handler, int loopCount = 0)
        : this(endpoint, handler, new ReactorGroupOptions { Kind = kind, LoopCount = loopCount })
    {
    }

    /// <summary>
    /// Creates the loops and their listener(s) for async connection handlers, as <paramref name="options"/> say (not
    /// yet accepting: call <see cref="Start"/>).
    /// </summary>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    /// <param name="handler">
    /// Serves one connection. Loop i calls it inline, on its own thread, for each socket it accepted, wrapped in a
    /// <see cref="ReactorSocket"/> of loop i; every continuation of the handler resumes on that thread, so the state
    /// of one loop needs no lock. The token is cancelled (on the loop) when <see cref="Stop"/> begins.
    /// </param>
    /// <param name="options">Backend, loop count, <see cref="AcceptMode"/>, CPU pinning and shutdown time.</param>
    /// <remarks>
    /// <para>The group owns each connection: when the handler's task completes (or it throws before returning one),
    /// the socket is disposed. An exception from the handler is reported through <see cref="UnhandledException"/>
    /// (<see cref="UnhandledExceptionEventArgs.IsTerminating"/> false) and ends only that connection; the loop goes on.
    /// <see cref="ObjectDisposedException"/> and <see cref="OperationCanceledException"/> that <see cref="Stop"/> causes
    /// are not reported.</para>
    /// <para>Accepting a connection costs the handler's state machine and its task (one allocation each, per
    /// connection, not per await).</para>
    /// </remarks>
    /// <exception cref="ArgumentException">As for the callback constructor.</exception>
    public ReactorGroup(IPEndPoint endpoint, Func<ReactorSocket, CancellationToken, Task> handler, ReactorGroupOptions options)
        : this(endpoint, options, onAccepted: null, handler ?? throw new ArgumentNullException(nameof(handler)))
    {
    }

    /// <summary>Asks every loop to stop: at once for callbacks, after its handlers' shutdown for async handlers.</summary>
    private void RequestStop()
    {
        for (int i = 0; i < _reactors.Length; i++)
        {
            if (_asyncLoops is null)
            {
                _reactors[i].Stop();
                continue;
            }

            // Acceptor and connections belong to the loop thread: shut them down there. A loop that has already ended
            // (faulted) never runs this; its connections were abandoned by RunLoop, and Join returns at once.
            int index = i;
            _reactors[i].Post(() =>
            {
                _acceptors[index].Dispose();
                _asyncLoops[index].BeginShutdown();
            });
        }
    }

    /// <summary>A handler's failure: reported, never thrown into the loop (it belongs to one connection).</summary>
    private void ReportHandlerFailure(Reactor reactor, Exception exception)
    {
        try
        {
            Forward(reactor, new UnhandledExceptionEventArgs(exception, isTerminating: false));
        }
        catch (Exception subscriberFailure)
        {
            Console.Error.WriteLine($"LinuxIoMux.ReactorGroup: a connection handler failed ({exception}); the UnhandledException subscriber then threw: {subscriberFailure}");
        }
    }
}
