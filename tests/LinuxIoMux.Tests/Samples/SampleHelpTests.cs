using System.Diagnostics;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>Every sample takes <c>--help</c>: it prints its usage and exits 0 instead of starting (issue 10).</summary>
public class SampleHelpTests
{
    public static TheoryData<string> Samples => new("EchoServer", "AsyncEchoServer", "RespServer", "HttpPlaintext", "KestrelPlaintext", "SelectVsPollVsEpoll");

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public async Task Help_prints_usage_and_exits_0(string sample)
    {
        string dll = Locate(sample);
        ProcessStartInfo start = TestHostProgram.StartInfo(dll);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.ArgumentList.Add("--help");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{sample} --help did not exit within 60 s: it started instead of printing its usage");
        }

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Usage:", await output);
        Assert.Equal(string.Empty, await errors);
    }

    /// <summary>The sample's build output: beside the tests when referenced, else its own bin folder (same configuration).</summary>
    internal static string Locate(string sample)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, sample + ".dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        // A self-contained publish (./build.sh test-arm64) carries only the servers the other tests start; the rest are
        // framework-dependent x86-64 builds there, and their --help is the same program the x86-64 run checks.
        Skip.If(TestHostProgram.IsSelfContained, $"{sample} is not published beside the tests in a self-contained run; the framework-dependent run checks its --help");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name; // bin/<configuration>/net10.0
        string built = Path.Combine(RepositoryRoot.Require(), "samples", sample, "bin", configuration, "net10.0", sample + ".dll");
        Assert.True(File.Exists(built), $"{built} is missing: ./build.sh builds every sample");
        return built;
    }
}
