using System.Diagnostics;

namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>
/// Progress lines on standard error: which case runs, how far along the whole suite is, and how long is left.
/// </summary>
/// <remarks>
/// Every case comes with a predicted duration from a rough cost model (<see cref="CostModel"/>). The first line
/// states the model's total; afterwards the estimate of what is left is the model's remainder scaled by how far
/// the model has been off so far (actual elapsed / predicted elapsed), so it corrects itself for a faster or
/// slower (or busier) machine.
/// </remarks>
internal sealed class Progress
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly double _predictedTotal;
    private readonly int _caseCount;
    private double _predictedDone;
    private int _casesDone;

    /// <summary>Starts the clock for a suite of <paramref name="caseCount"/> cases predicted to take <paramref name="predictedSeconds"/>.</summary>
    internal Progress(string suite, int caseCount, double predictedSeconds)
    {
        _caseCount = caseCount;
        _predictedTotal = predictedSeconds;
        Console.Error.WriteLine($"{suite}: {caseCount} cases, estimated total {Format(predictedSeconds)}");
    }

    /// <summary>Announces a case before it runs.</summary>
    internal void Begin(string label)
    {
        double left = _predictedTotal - _predictedDone;
        double scale = _predictedDone > 0 ? _elapsed.Elapsed.TotalSeconds / _predictedDone : 1;
        Console.Error.WriteLine(
            $"[{_casesDone + 1}/{_caseCount}] {label}  (elapsed {Format(_elapsed.Elapsed.TotalSeconds)}, ~{Format(left * scale)} left)");
    }

    /// <summary>Records that a case predicted to take <paramref name="predictedSeconds"/> has finished.</summary>
    internal void End(double predictedSeconds)
    {
        _predictedDone += predictedSeconds;
        _casesDone++;
    }

    /// <summary>Total wall time since the suite started.</summary>
    internal TimeSpan Elapsed => _elapsed.Elapsed;

    private static string Format(double seconds) =>
        seconds < 90 ? $"{seconds:F0} s" : $"{seconds / 60:F1} min";
}
