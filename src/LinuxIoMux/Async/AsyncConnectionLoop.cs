using System.Net.Sockets;

namespace LinuxIoMux;

/// <summary>
/// One loop's async connections in a <see cref="ReactorGroup"/>: wraps each accepted socket in a
/// <see cref="ReactorSocket"/>, starts the handler inline on the loop, disposes the socket when the handler ends,
/// reports handler failures, and at shutdown cancels and disposes whatever is still open.
/// </summary>
/// <remarks>Every member runs on the loop thread (the acceptor's callback, the handlers' continuations, the posted
/// shutdown), so the set of open connections needs no lock.</remarks>
internal sealed class AsyncConnectionLoop
{
    private readonly Reactor _reactor;
    private readonly Func<ReactorSocket, CancellationToken, Task> _handler;
    private readonly TimeSpan _shutdownTimeout;
    private readonly Action<Reactor, Exception> _report;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<ReactorSocket> _open = [];
    private int _running;
    private bool _shuttingDown;
    private ReactorTimer? _deadline;

    internal AsyncConnectionLoop(Reactor reactor, Func<ReactorSocket, CancellationToken, Task> handler, TimeSpan shutdownTimeout,
        Action<Reactor, Exception> report)
    {
        _reactor = reactor;
        _handler = handler;
        _shutdownTimeout = shutdownTimeout;
        _report = report;
    }

    /// <summary>Connections whose socket is still open (loop thread, or after the loop has stopped).</summary>
    internal int OpenCount => _open.Count;

    /// <summary>The acceptor's callback: the socket is ours from here (the acceptor disposes it if this throws).</summary>
    internal void Accept(Socket socket)
    {
        if (_shuttingDown)
        {
            socket.Dispose();
            return;
        }

        var connection = new ReactorSocket(_reactor, socket);
        _open.Add(connection);
        _running++;
        _ = RunAsync(connection); // runs inline up to the handler's first incomplete await; never faults (see below)
    }

    /// <summary>
    /// On the loop, once: cancels the handlers' token and disposes the open sockets, so handlers awaiting them end;
    /// stops the reactor when the last handler has returned, or after the shutdown timeout.
    /// </summary>
    internal void BeginShutdown()
    {
        if (_shuttingDown)
        {
            return;
        }

        _shuttingDown = true;
        try
        {
            _stopping.Cancel(); // registrations on the token run here, on the loop
        }
        catch (AggregateException e)
        {
            _report(_reactor, e);
        }

        foreach (ReactorSocket connection in _open.ToArray())
        {
            Close(connection);
        }

        if (_running == 0)
        {
            _reactor.Stop();
        }
        else
        {
            _deadline = _reactor.Schedule(_shutdownTimeout, static reactor => reactor.Stop(), _reactor);
        }
    }

    /// <summary>The loop ended on a fault: close what is open (no continuation will run on it any more).</summary>
    internal void Abandon()
    {
        _shuttingDown = true;
        foreach (ReactorSocket connection in _open.ToArray())
        {
            Close(connection);
        }
    }

    private void Close(ReactorSocket connection)
    {
        if (_open.Remove(connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// Awaits the handler. It starts on the loop thread under the reactor's SynchronizationContext, so the await
    /// below resumes there too; its exceptions are reported here, so the returned task never faults.
    /// </summary>
    private async Task RunAsync(ReactorSocket connection)
    {
        try
        {
            await _handler(connection, _stopping.Token); // a handler that throws before returning a task lands here too
        }
        catch (Exception e) when (!(_shuttingDown && e is ObjectDisposedException or OperationCanceledException))
        {
            _report(_reactor, e);
        }
        finally
        {
            Close(connection);
            _running--;
            if (_shuttingDown && _running == 0)
            {
                _deadline?.Cancel();
                _reactor.Stop();
            }
        }
    }
}
