using Xunit.Abstractions;

namespace LinuxIoMux.TestRunner;

/// <summary>
/// The option bag xunit's discoverer and executor read (xunit.runner.utility's TestFrameworkOptions plays this part in
/// the ordinary runners; that package is not available to this repository, so this is the small part of it we need).
/// </summary>
internal sealed class FrameworkOptions : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
{
    private readonly Dictionary<string, object?> _values = [];

    /// <summary>
    /// Options for a run one test at a time, as xunit.runner.json asks of the VSTest run: the leak tests count
    /// /proc/self/fd, which a test running beside them would disturb.
    /// </summary>
    public static FrameworkOptions Sequential()
    {
        var options = new FrameworkOptions();
        options.SetValue("xunit.execution.DisableParallelization", true);
        options.SetValue("xunit.execution.MaxParallelThreads", 1);
        options.SetValue("xunit.discovery.PreEnumerateTheories", true);
        return options;
    }

    /// <inheritdoc/>
    public TValue GetValue<TValue>(string name) =>
        _values.TryGetValue(name, out object? value) && value is TValue typed ? typed : default!;

    /// <inheritdoc/>
    public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
}
