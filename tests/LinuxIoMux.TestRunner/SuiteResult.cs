namespace LinuxIoMux.TestRunner;

/// <summary>The counts of one run, and the summary line CI reads.</summary>
internal sealed record SuiteResult(int Passed, int Failed, int Skipped)
{
    /// <summary>True when at least one test ran and none failed: a run that executed nothing is not a pass.</summary>
    public bool Succeeded => Failed == 0 && Passed > 0;

    /// <summary>"N passed, N failed, N skipped", after "<paramref name="label"/>:" when there is a label.</summary>
    public string SummaryLine(string? label) =>
        (label is null ? "" : label + ": ") + $"{Passed} passed, {Failed} failed, {Skipped} skipped";
}
