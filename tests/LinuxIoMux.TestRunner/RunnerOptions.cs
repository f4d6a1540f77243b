namespace LinuxIoMux.TestRunner;

/// <summary>The runner's command line: a summary label, name filters and exclusions, and the per-test time limit.</summary>
internal sealed record RunnerOptions(string? Label, IReadOnlyList<string> Filters, IReadOnlyList<string> Exclusions, TimeSpan TestTimeout)
{
    /// <summary>
    /// A test that runs longer than this under qemu is hung, not slow: the slowest test of the suite takes about a
    /// minute natively and a few under emulation.
    /// </summary>
    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromMinutes(15);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static RunnerOptions Parse(string[] args)
    {
        string? label = null;
        var filters = new List<string>();
        var exclusions = new List<string>();
        TimeSpan timeout = s_defaultTimeout;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is not ("--label" or "--filter" or "--exclude" or "--test-timeout"))
            {
                throw new ArgumentException($"unknown argument '{args[i]}'");
            }

            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--label":
                    label = value;
                    break;
                case "--filter":
                    filters.Add(value);
                    break;
                case "--exclude":
                    exclusions.Add(value);
                    break;
                case "--test-timeout":
                    timeout = double.TryParse(value, out double minutes) && minutes > 0
                        ? TimeSpan.FromMinutes(minutes)
                        : throw new ArgumentException($"--test-timeout wants a positive number of minutes, not '{value}'");
                    break;
            }

            i++;
        }

        return new RunnerOptions(label, filters, exclusions, timeout);
    }
}
