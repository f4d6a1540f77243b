using System.Diagnostics;
using LinuxIoMux.Timing;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// The reactor's clock (<see cref="MonotonicClock"/>), frozen on the test thread until the test moves it: timer
/// tests then say "one period later" exactly, and no assert depends on scheduling.
/// </summary>
internal sealed class TestClock : IDisposable
{
    private readonly IDisposable _override;
    private long _now = Stopwatch.GetTimestamp();

    public TestClock()
    {
        _override = MonotonicClock.Override(() => _now);
    }

    /// <summary>The three backends, for timer tests that run on each.</summary>
    public static TheoryData<MultiplexerKind> Kinds => new(MultiplexerKind.Epoll, MultiplexerKind.Poll, MultiplexerKind.Select);

    /// <summary>Moves the frozen clock forward.</summary>
    public void Advance(TimeSpan by) => _now += (long)(by.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Moves the frozen clock forward by whole milliseconds.</summary>
    public void AdvanceMilliseconds(int milliseconds) => _now += Stopwatch.Frequency * milliseconds / 1000;

    public void Dispose() => _override.Dispose();
}
