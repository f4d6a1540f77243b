using System.Diagnostics;
using Xunit.Abstractions;
using Xunit;

namespace LinuxIoMux.TestRunner;

/// <summary>
/// Receives xunit's execution messages: counts passes, failures and skips, prints each failure with its message and
/// stack and each skip with its reason, and a line per test class so a slow emulated run shows progress.
/// </summary>
/// <remarks>
/// Errors outside a test (a fixture, a class or collection cleanup that throws, a test case that cannot be run) count
/// as failures: CI must not read such a run as a pass.
/// </remarks>
internal sealed class ResultSink(TestWatchdog watchdog) : LongLivedMarshalByRefObject, IMessageSink
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _lastClass;
    private int _passed, _failed, _skipped;

    /// <summary>Set when the executor reports the end of the assembly.</summary>
    public ManualResetEventSlim Finished { get; } = new();

    /// <summary>The counts so far.</summary>
    public SuiteResult Result => new(Volatile.Read(ref _passed), Volatile.Read(ref _failed), Volatile.Read(ref _skipped));

    /// <summary>Counts one more failure that happened outside xunit (a hung test the watchdog gave up on).</summary>
    public void AddFailure() => Interlocked.Increment(ref _failed);

    /// <inheritdoc/>
    public bool OnMessage(IMessageSinkMessage message)
    {
        switch (message)
        {
            case ITestStarting starting:
                string className = starting.TestClass.Class.Name;
                if (className != _lastClass)
                {
                    _lastClass = className;
                    Console.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] {className}");
                }

                watchdog.Started(starting.Test.DisplayName);
                break;
            case ITestFinished:
                watchdog.Finished();
                break;
            case ITestPassed:
                Interlocked.Increment(ref _passed);
                break;
            case ITestSkipped skipped:
                Interlocked.Increment(ref _skipped);
                Console.WriteLine($"  SKIP {skipped.Test.DisplayName}: {skipped.Reason}");
                break;
            case ITestFailed failed:
                Interlocked.Increment(ref _failed);
                Console.WriteLine($"  FAIL {failed.Test.DisplayName}: {Describe(failed)}");
                break;
            case IErrorMessage or ITestAssemblyCleanupFailure or ITestCollectionCleanupFailure or ITestClassCleanupFailure
                or ITestMethodCleanupFailure or ITestCaseCleanupFailure or ITestCleanupFailure:
                Interlocked.Increment(ref _failed);
                Console.WriteLine($"  ERROR {message.GetType().Name}: {Describe((IFailureInformation)message)}");
                break;
            case ITestAssemblyFinished assemblyFinished:
                Console.WriteLine($"[{_clock.Elapsed:hh\\:mm\\:ss}] finished {assemblyFinished.TestsRun} tests");
                Finished.Set();
                break;
        }

        return true;
    }

    private static string Describe(IFailureInformation failure)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < failure.ExceptionTypes.Length; i++)
        {
            text.Append(i == 0 ? "" : "\n    ----- inner -----\n    ")
                .Append(failure.ExceptionTypes[i]).Append(": ").Append(failure.Messages[i]).Append('\n')
                .Append(Indent(failure.StackTraces[i]));
        }

        return text.ToString();
    }

    private static string Indent(string? text) =>
        string.Join('\n', (text ?? "").Split('\n').Select(line => "      " + line.TrimEnd()));
}
