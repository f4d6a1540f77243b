using System.Reflection;
using Xunit.Abstractions;
using Xunit;
using Xunit.Sdk;

namespace LinuxIoMux.TestRunner;

/// <summary>One in-process run of the test assembly through xunit's own discoverer and executor.</summary>
internal static class SuiteRun
{
    /// <summary>Discovers the tests of <paramref name="assemblyPath"/>, runs those the options select, returns the counts.</summary>
    public static SuiteResult Execute(string assemblyPath, RunnerOptions options)
    {
        Assembly assembly = Assembly.LoadFrom(assemblyPath);
        var diagnostics = new DiscardingSink();
        using var framework = new XunitTestFramework(diagnostics);
        FrameworkOptions frameworkOptions = FrameworkOptions.Sequential();

        var discovered = new List<ITestCase>();
        using (var discoveryDone = new ManualResetEventSlim())
        using (ITestFrameworkDiscoverer discoverer = framework.GetDiscoverer(Reflector.Wrap(assembly)))
        {
            discoverer.Find(includeSourceInformation: false, new DiscoverySink(discovered, discoveryDone), frameworkOptions);
            discoveryDone.Wait();
        }

        List<ITestCase> selected = discovered
            .Where(testCase => Matches(testCase, options.Filters, whenNone: true) && !Matches(testCase, options.Exclusions, whenNone: false))
            .ToList();
        Console.WriteLine($"discovered {discovered.Count} test cases, running {selected.Count}"
            + (options.Exclusions.Count > 0 ? $" (left out: {string.Join(", ", options.Exclusions)})" : ""));

        var watchdog = new TestWatchdog(options.TestTimeout);
        var sink = new ResultSink(watchdog);
        using ITestFrameworkExecutor executor = framework.GetExecutor(assembly.GetName());
        executor.RunTests(selected, sink, frameworkOptions);
        while (!sink.Finished.Wait(TimeSpan.FromSeconds(5)))
        {
            if (watchdog.Overdue() is string hung)
            {
                // A hung test would otherwise hold CI until its time limit: report it and stop with what ran so far.
                Console.WriteLine($"  FAIL {hung}: still running after {options.TestTimeout.TotalMinutes} minutes; stopping the run");
                sink.AddFailure();
                break;
            }
        }

        return sink.Result;
    }

    /// <summary>Whether "Namespace.Class.Method" contains one of <paramref name="names"/>; <paramref name="whenNone"/> for none.</summary>
    private static bool Matches(ITestCase testCase, IReadOnlyList<string> names, bool whenNone) =>
        names.Count == 0 ? whenNone : names.Any(name =>
            (testCase.TestMethod.TestClass.Class.Name + "." + testCase.TestMethod.Method.Name).Contains(name, StringComparison.Ordinal));

    /// <summary>Collects the discovered test cases and signals the end of discovery.</summary>
    private sealed class DiscoverySink(List<ITestCase> testCases, ManualResetEventSlim done) : LongLivedMarshalByRefObject, IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message)
        {
            if (message is ITestCaseDiscoveryMessage discovery)
            {
                testCases.Add(discovery.TestCase);
            }
            else if (message is IDiscoveryCompleteMessage)
            {
                done.Set();
            }

            return true;
        }
    }

    /// <summary>xunit's diagnostic messages are off in the VSTest run too (xunit.runner.json).</summary>
    private sealed class DiscardingSink : LongLivedMarshalByRefObject, IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message) => true;
    }
}
