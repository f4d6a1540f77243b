using System.Diagnostics;
using System.Globalization;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>
/// The demo's C column (issue 12): native/waitcost times select, poll and epoll_wait, and the demo prints the managed/C
/// ratio of each call beside its own table.
/// </summary>
public class DemoNativeColumnTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public void Waitcost_prints_a_positive_median_for_each_of_the_three_calls()
    {
        string program = Path.Combine(NativeDirectory(), "waitcost");
        Skip.IfNot(File.Exists(program), $"{program} is not built: run ./build.sh build (./build.sh test does)");

        (int exitCode, string output, string errors) = Run(new ProcessStartInfo(program) { ArgumentList = { "1" } });

        Assert.True(exitCode == 0, $"waitcost 1 exited with {exitCode}: {errors}");
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["select", "poll", "epoll"], lines.Select(line => line.Split(' ')[0]));
        Assert.All(lines, line => Assert.True(double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture) > 0, line));
    }

    [SkippableFact]
    public void Waitcost_refuses_a_missing_pair_count_with_exit_2()
    {
        string program = Path.Combine(NativeDirectory(), "waitcost");
        Skip.IfNot(File.Exists(program), $"{program} is not built: run ./build.sh build (./build.sh test does)");

        (int exitCode, _, string errors) = Run(new ProcessStartInfo(program) { ArgumentList = { "0" } });

        Assert.Equal(2, exitCode);
        Assert.Contains("PAIRS", errors);
    }

    [SkippableFact]
    public void The_demo_prints_the_managed_to_C_ratio_of_every_call()
    {
        string native = NativeDirectory();
        Skip.IfNot(File.Exists(Path.Combine(native, "waitcost")), "native/waitcost is not built: run ./build.sh build");
        ProcessStartInfo start = TestHostProgram.StartInfo(SampleHelpTests.Locate("SelectVsPollVsEpoll"));
        start.ArgumentList.Add("--sizes");
        start.ArgumentList.Add("1");
        start.Environment["LINUXIOMUX_NATIVE_DIR"] = native;

        (int exitCode, string output, string errors) = Run(start);

        Assert.True(exitCode == 0, $"the demo exited with {exitCode}: {errors}");
        string[] table = [.. output.Split('\n').SkipWhile(line => !line.Contains("managed/C")).Where(line => line.StartsWith('|'))];
        Assert.True(table.Length == 3, $"no managed/C table of one row in:\n{output}");
        string[] cells = [.. table[2].Trim('|', ' ').Split('|').Select(cell => cell.Trim())];
        Assert.Equal("1", cells[0]);
        foreach (int ratio in new[] { 2, 4, 6 }) // select, poll, epoll
        {
            Assert.True(cells[ratio].EndsWith('x') && double.Parse(cells[ratio][..^1], CultureInfo.InvariantCulture) > 0,
                $"column {ratio} of '{table[2]}' is not a ratio");
        }
    }

    private static string NativeDirectory() =>
        Environment.GetEnvironmentVariable("LINUXIOMUX_NATIVE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepositoryRoot.Require(), "artifacts", "native");

    private static (int ExitCode, string Output, string Errors) Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangDetector))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{start.FileName} did not exit within {HangDetector.TotalSeconds} s");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }
}
