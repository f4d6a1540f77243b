using System.Diagnostics;

namespace LinuxIoMux.Samples;

/// <summary>
/// Closes a loop's connections whose partial request is older than the request timeout: one timer per loop that
/// checks four times per timeout (at most once a second), instead of a timer per connection.
/// </summary>
internal sealed class ConnectionSweeper
{
    private readonly TimeSpan _timeout;
    private readonly HashSet<ISweptConnection> _connections = [];
    private readonly List<ISweptConnection> _stalled = [];

    internal ConnectionSweeper(Reactor reactor, TimeSpan requestTimeout)
    {
        _timeout = requestTimeout;
        TimeSpan period = TimeSpan.FromTicks(Math.Min(requestTimeout.Ticks / 4, TimeSpan.TicksPerSecond));
        reactor.SchedulePeriodic(period, static sweeper => sweeper.Sweep(), this);
    }

    internal int Count => _connections.Count;

    internal void Add(ISweptConnection connection) => _connections.Add(connection);

    internal void Remove(ISweptConnection connection) => _connections.Remove(connection);

    /// <summary>Closes every connection (shutdown).</summary>
    internal void CloseAll()
    {
        foreach (ISweptConnection connection in _connections.ToList())
        {
            connection.Close();
        }
    }

    private void Sweep()
    {
        long now = Stopwatch.GetTimestamp();
        foreach (ISweptConnection connection in _connections)
        {
            if (connection.PartialSince != 0)
            {
                _stalled.Add(connection);
            }
        }

        foreach (ISweptConnection connection in _stalled)
        {
            connection.CloseIfStalled(now, _timeout);
        }

        _stalled.Clear();
    }
}
