using System.Diagnostics;

namespace LinuxIoMux.TestRunner;

/// <summary>Notices a test that has been running longer than the limit (tests run one at a time).</summary>
internal sealed class TestWatchdog(TimeSpan limit)
{
    private readonly Lock _gate = new();
    /// <summary>After this long a test is named on the console, so a slow or stuck one can be found in the log.</summary>
    private static readonly TimeSpan s_slow = TimeSpan.FromMinutes(1);

    private string? _running;
    private long _startedAt;
    private bool _reportedSlow;

    /// <summary>Records that <paramref name="displayName"/> started now.</summary>
    public void Started(string displayName)
    {
        lock (_gate)
        {
            _running = displayName;
            _startedAt = Stopwatch.GetTimestamp();
            _reportedSlow = false;
        }
    }

    /// <summary>Records that the running test finished.</summary>
    public void Finished()
    {
        lock (_gate)
        {
            _running = null;
        }
    }

    /// <summary>
    /// The name of the test running for longer than the limit, or null. Prints, once per test, the name of one that
    /// has been running for over a minute.
    /// </summary>
    public string? Overdue()
    {
        lock (_gate)
        {
            if (_running is null)
            {
                return null;
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(_startedAt);
            if (elapsed > s_slow && !_reportedSlow)
            {
                _reportedSlow = true;
                Console.WriteLine($"  ... still running after {elapsed.TotalSeconds:F0} s: {_running}");
            }

            return elapsed > limit ? _running : null;
        }
    }
}
