using System.Diagnostics;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// A client program from Debian's packages (redis-cli, redis-benchmark, wrk). Outside CI an absent tool skips the test
/// with the package to install; under CI (CI=true), where .ci/run installs them, an absent tool fails it.
/// </summary>
internal static class ExternalTool
{
    /// <summary>Skips (or under CI fails) unless <paramref name="tool"/> is on PATH.</summary>
    public static string Require(string tool, string debianPackage)
    {
        string? path = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return path;
        }

        string reason = $"{tool} is not installed (apt-get install {debianPackage}; .ci/run does)";
        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", reason);
        Skip.If(true, reason);
        return tool;
    }

    /// <summary>Runs the tool to completion (bounded by <paramref name="timeout"/>) and returns exit code and stdout+stderr.</summary>
    public static (int ExitCode, string Output) Run(string path, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            Assert.Fail($"{Path.GetFileName(path)} {string.Join(' ', arguments)} did not finish within {timeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
