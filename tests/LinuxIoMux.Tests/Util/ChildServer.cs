using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// A sample server (RespServer, HttpPlaintext, EchoServer) run as a child process from the test output folder, where
/// the project references put it, on a free port; optionally under <c>prlimit --nofile=N:N</c> (util-linux) so it runs
/// out of descriptors for real. It drains stdout and stderr continuously (a saturated server may print a lot), sends
/// any signal, and reads the child's CPU time, memory and open descriptors from /proc.
/// </summary>
internal sealed partial class ChildServer : IDisposable
{
    public const int SIGINT = 2;
    public const int SIGTERM = 15;

    /// <summary>
    /// A hang detector, not a timing: natively a sample prints its listening line within a second; as arm64 code under
    /// qemu-user on a busy 2-core machine (./build.sh test-arm64) its start-up JIT took up to a minute.
    /// </summary>
    private static readonly TimeSpan s_startLimit = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly List<string> _lines = [];

    private ChildServer(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>
    /// Starts and reaps one trivial child with redirected output, so the descriptors the runtime opens once for child
    /// processes (its SIGCHLD pipe, System.IO.Pipes) exist before a leak check takes its baseline.
    /// </summary>
    public static void WarmUp()
    {
        var start = new ProcessStartInfo("true") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
    }

    /// <summary>The prlimit binary, or null when util-linux's prlimit is not installed.</summary>
    public static string? FindPrlimit() =>
        new[] { "/usr/bin/prlimit", "/bin/prlimit" }.FirstOrDefault(File.Exists);

    /// <summary>Starts <paramref name="sample"/> on a free port; with <paramref name="maxFds"/>, under prlimit.</summary>
    public static ChildServer Start(string sample, int? maxFds = null, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, sample + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references the samples so they are copied here.");
        // prlimit execs the server: the child's pid is the server's.
        string[]? prlimit = maxFds is int limit
            ? [FindPrlimit() ?? throw new InvalidOperationException("prlimit is not installed"), $"--nofile={limit}:{limit}"]
            : null;
        ProcessStartInfo start = TestHostProgram.StartInfo(dll, prlimit);
        foreach (string argument in arguments.Concat(["--port", "0"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        var listening = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            Match match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                listening.TrySetResult(IPEndPoint.Parse(match.Groups[1].Value));
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!listening.Task.Wait(s_startLimit))
        {
            process.Kill();
            process.WaitForExit();
            lock (lines)
            {
                throw new InvalidOperationException($"{sample} did not start: {string.Join(" | ", lines)}");
            }
        }

        var server = new ChildServer(process, listening.Task.Result);
        lock (lines)
        {
            server._lines.AddRange(lines);
            process.OutputDataReceived += server.Collect;
            process.ErrorDataReceived += server.Collect;
        }

        return server;
    }

    /// <summary>User plus system CPU time the child has used (/proc/PID/stat fields 14 and 15).</summary>
    public TimeSpan CpuTime()
    {
        string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / TestLibC.sysconf(TestLibC.SC_CLK_TCK));
    }

    /// <summary>Resident memory of the child in bytes (VmRSS of /proc/PID/status).</summary>
    public long ResidentBytes()
    {
        string line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>SIGTERM, as a service manager or Ctrl+C would stop it; returns the exit code and everything printed.</summary>
    public (int ExitCode, string Output) Stop()
    {
        Signal(SIGTERM);
        int exitCode = WaitForExit(TimeSpan.FromSeconds(20));
        return (exitCode, Output);
    }

    /// <summary>The child's open descriptors (/proc/PID/fd).</summary>
    public int OpenDescriptorCount() => Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;

    /// <summary>Sends <paramref name="signal"/> to the child.</summary>
    public void Signal(int signal) => Assert.Equal(0, TestLibC.kill(_process.Id, signal));

    /// <summary>Waits for the exit (a hang detector bounds it) and returns the exit code.</summary>
    public int WaitForExit(TimeSpan hangDetector)
    {
        Assert.True(_process.WaitForExit(hangDetector), $"hang detector: the server did not exit within {hangDetector}");
        _process.WaitForExit(); // flushes the asynchronous readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Collect(object? sender, DataReceivedEventArgs e)
    {
        if (e.Data is not null)
        {
            lock (_lines)
            {
                _lines.Add(e.Data);
            }
        }
    }

    [GeneratedRegex(@"listening on (\S+:\d+)")]
    private static partial Regex ListeningLine();
}
