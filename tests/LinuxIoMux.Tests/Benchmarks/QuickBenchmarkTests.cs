using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.Benchmarks;

/// <summary>
/// <c>LinuxIoMux.Benchmarks report --quick</c>, the run behind <c>./build.sh bench --quick</c>, into a temporary
/// directory: the suite must run end to end and every backend must produce numbers, each above zero, with the C
/// programs measured wherever the managed code for the same system call is. No timing is compared.
/// </summary>
public sealed partial class QuickBenchmarkTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);

    private static readonly string[] s_charts =
    [
        "scaling-pairs-active1.png", "scaling-pairs-active100.png",
        "scaling-dgram-active1.png", "scaling-dgram-active100.png",
        "latency.png", "echo-latency.png", "echo-throughput.png",
    ];

    private static readonly string[] s_scalingBackends =
        ["select", "poll", "epoll", "io_uring", "reactor-select", "reactor-poll", "reactor-epoll", "reactor-io_uring", "C select", "C poll", "C epoll", "C io_uring"];

    private static readonly string[] s_latencyServers = ["reactor-select", "reactor-poll", "reactor-epoll", "reactor-io_uring", "C epoll"];

    private static readonly string[] s_echoServers = ["reactor-callback", "reactor-async", "socket-async", "C epoll"];

    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("linuxiomux-bench-");

    /// <inheritdoc/>
    public void Dispose() => _output.Delete(recursive: true);

    [SkippableFact]
    public void Quick_run_writes_the_report_and_charts_with_numbers_for_every_backend()
    {
        string root = Util.RepositoryRoot.Require();
        string native = Environment.GetEnvironmentVariable("LINUXIOMUX_NATIVE_DIR") is { Length: > 0 } dir ? dir : Path.Combine(root, "artifacts", "native");
        if (!File.Exists(Path.Combine(native, "scaling")) || !File.Exists(Path.Combine(native, "echo_server")))
        {
            // As for the external tools: outside CI a missing build skips, under CI (which runs ./build.sh test, and so
            // builds them) it is a broken build and fails.
            string reason = $"native programs not built in {native}: run ./build.sh build (./build.sh test does)";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", reason);
            Skip.If(true, reason);
        }

        (int exitCode, string errors) = RunQuick(root, native);

        Assert.True(exitCode == 0, $"the quick run exited {exitCode}:\n{errors}");
        string report = File.ReadAllText(Path.Combine(_output.FullName, "report.md"));
        foreach (string chart in s_charts)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(_output.FullName, chart));
            Assert.True(png.Length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', $"{chart} is not a PNG");
            Assert.Contains($"]({chart})", report, StringComparison.Ordinal);
        }

        List<MarkdownTable> tables = MarkdownTable.ParseAll(report);
        List<MarkdownTable> scaling = [.. tables.Where(t => t.Header[0] == "n" && t.Header[1] == "select")];
        Assert.Equal(4, scaling.Count); // two transports x (1 active, 100 active)
        foreach (MarkdownTable table in scaling)
        {
            AssertEveryColumnHasANumber(table, s_scalingBackends);
            AssertCellsArePositiveOrExplained(table);
            foreach (string syscall in new[] { "select", "poll", "epoll", "io_uring" })
            {
                AssertCFilledWhereManagedIs(table, managed: syscall, c: "C " + syscall);
            }
        }

        MarkdownTable latency = Assert.Single(tables, t => t.Header[0] == "idle connections");
        AssertEveryColumnHasANumber(latency, s_latencyServers);
        AssertCellsArePositiveOrExplained(latency);
        AssertCFilledWhereManagedIs(latency, managed: "reactor-epoll", c: "C epoll");
        AssertEchoTables(tables);
        Assert.Contains("RLIMIT_NOFILE", report, StringComparison.Ordinal);
        Assert.Contains("/proc/loadavg", report, StringComparison.Ordinal);
    }

    /// <summary>
    /// The echo tables, one row per connection count (1, 64, 1,000): latency cells are positive "p50 / p99", round trips
    /// per second positive, bytes per round trip a number for every managed server and "n/a" for C.
    /// </summary>
    private static void AssertEchoTables(List<MarkdownTable> tables)
    {
        List<MarkdownTable> echo = [.. tables.Where(t => t.Header[0] == "connections")];
        Assert.Equal(5, echo.Count); // latency, latency ÷ Socket async, throughput, allocations, client CPU
        foreach (MarkdownTable table in echo)
        {
            Assert.Equal(s_echoServers, table.Header.Skip(1));
            Assert.Equal(["1", "64", "1,000"], table.Rows.Select(r => r[0]));
        }

        AssertEveryColumnHasANumber(echo[0], s_echoServers);
        AssertCellsArePositiveOrExplained(echo[0]);
        foreach (IReadOnlyList<string> row in echo[1].Rows)
        {
            Assert.Equal("1.00", row[echo[1].Header.ToList().IndexOf("socket-async")]); // the baseline against itself
        }

        foreach (IReadOnlyList<string> row in echo[2].Rows)
        {
            Assert.All(row.Skip(1), cell => Assert.True(double.Parse(cell, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, $"round trips/s '{cell}'"));
        }

        foreach (IReadOnlyList<string> row in echo[3].Rows)
        {
            for (int column = 1; column < row.Count; column++)
            {
                bool managed = echo[3].Header[column] != "C epoll";
                Assert.True(managed ? double.TryParse(row[column], CultureInfo.InvariantCulture, out double bytes) && bytes >= 0 : row[column] == "n/a",
                    $"bytes per round trip of {echo[3].Header[column]} at {row[0]} connections: '{row[column]}'");
            }
        }
    }

    private static void AssertEveryColumnHasANumber(MarkdownTable table, string[] columns)
    {
        Assert.Equal(columns, table.Header.Skip(1));
        for (int column = 1; column < table.Header.Count; column++)
        {
            if (table.Header[column].Contains("io_uring", StringComparison.Ordinal) && !Multiplexer.IsSupported(MultiplexerKind.IoUring))
            {
                continue; // disabled or blocked here: its cells say so instead of holding numbers
            }

            Assert.True(table.Rows.Any(row => MedianCell().IsMatch(row[column])),
                $"column {table.Header[column]} has no measured cell: {string.Join(", ", table.Rows.Select(r => r[column]))}");
        }
    }

    /// <summary>
    /// Every cell of a measured row (one whose first cell is a count; the scaling tables end with a growth row) is a
    /// measurement whose two numbers are above zero, or an "n/a (reason)".
    /// </summary>
    private static void AssertCellsArePositiveOrExplained(MarkdownTable table)
    {
        foreach (IReadOnlyList<string> row in table.Rows.Where(row => int.TryParse(row[0], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _)))
        {
            for (int column = 1; column < table.Header.Count; column++)
            {
                string cell = row[column];
                if (cell.StartsWith("n/a (", StringComparison.Ordinal))
                {
                    continue;
                }

                Assert.True(MedianCell().IsMatch(cell), $"{table.Header[0]}={row[0]}, {table.Header[column]}: '{cell}' is neither a measurement nor n/a (reason)");
                double[] values = [.. cell.Split(" / ").Select(v => double.Parse(v.Replace(",", ""), CultureInfo.InvariantCulture))];
                Assert.True(values.All(v => v > 0), $"{table.Header[0]}={row[0]}, {table.Header[column]}: '{cell}' is not a positive time");
            }
        }
    }

    /// <summary>
    /// The C program ran wherever the managed code for the same system call did: its column is n/a only where the
    /// managed one is too (select above FD_SETSIZE), so a C program that failed or was skipped cannot hide.
    /// </summary>
    private static void AssertCFilledWhereManagedIs(MarkdownTable table, string managed, string c)
    {
        int managedColumn = table.Header.ToList().IndexOf(managed);
        int cColumn = table.Header.ToList().IndexOf(c);
        Assert.True(managedColumn > 0 && cColumn > 0, $"columns {managed} and {c} in: {string.Join(" | ", table.Header)}");
        foreach (IReadOnlyList<string> row in table.Rows.Where(row => MedianCell().IsMatch(row[managedColumn])))
        {
            Assert.True(MedianCell().IsMatch(row[cColumn]),
                $"{table.Header[0]}={row[0]}: {managed} measured '{row[managedColumn]}' but {c} has '{row[cColumn]}'");
        }
    }

    private (int ExitCode, string Errors) RunQuick(string root, string native)
    {
        string configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name; // bin/<Configuration>/net10.0
        string dll = Path.Combine(root, "src", "LinuxIoMux.Benchmarks", "bin", configuration, "net10.0", "LinuxIoMux.Benchmarks.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references the benchmark project so it is built first.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { dll, "report", "--quick", "--out", _output.FullName, "--native", native })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"the quick run took more than {s_timeout}:\n{errors.Result}");
        }

        // Both readers must reach the end before the pipes are closed (Process.Dispose leaves redirected pipes open);
        // closing stderr while its reader still runs cancels that read.
        Task.WaitAll(output, errors);
        string errorText = errors.Result;
        process.StandardOutput.Dispose();
        process.StandardError.Dispose();
        return (process.ExitCode, errorText);
    }

    /// <summary>A measured cell: "median / p90" or "p50 / p99" in microseconds, e.g. "1,234 / 1,500" or "15.8 / 18.0".</summary>
    [GeneratedRegex(@"^[0-9][0-9,]*(\.[0-9])? / [0-9][0-9,]*(\.[0-9])?$")]
    private static partial Regex MedianCell();
}
