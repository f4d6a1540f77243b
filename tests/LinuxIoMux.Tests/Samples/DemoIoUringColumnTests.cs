using System.Diagnostics;
using System.Globalization;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>
/// The demo (samples/SelectVsPollVsEpoll, <c>./build.sh demo</c>) measures io_uring beside select, poll and epoll: its
/// table has an "io_uring ns" column with a measured wait cost in every row where io_uring runs here. The demo's own
/// check (exactly the one readable descriptor reported per wait) makes it exit 1 if the io_uring wait is wrong.
/// </summary>
public class DemoIoUringColumnTests
{
    [SkippableFact]
    public async Task The_demo_table_has_a_measured_io_uring_column()
    {
        ProcessStartInfo start = TestHostProgram.StartInfo(SampleHelpTests.Locate("SelectVsPollVsEpoll"));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.ArgumentList.Add("--sizes");
        start.ArgumentList.Add("1,10");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the demo with --sizes 1,10 did not finish within 2 minutes");
        }

        string table = await output;
        Assert.True(process.ExitCode == 0, $"the demo exited {process.ExitCode}: {await errors}\n{table}");
        // The demo prints its main table, then the managed/C table: read the block that has the io_uring column.
        string main = table.Split("\n\n").FirstOrDefault(block => block.Contains("io_uring ns", StringComparison.Ordinal)) ?? table;
        string[][] rows = [.. main.Split('\n').Where(line => line.StartsWith("| ", StringComparison.Ordinal))
            .Select(line => line.Trim().Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())];
        int column = Array.IndexOf(rows[0], "io_uring ns");
        Assert.True(column > 0, $"no io_uring ns column in: {string.Join(" | ", rows[0])}");
        Assert.Equal(["1", "10"], rows.Skip(1).Select(row => row[0]));
        foreach (string[] row in rows.Skip(1))
        {
            if (!Multiplexer.IsSupported(MultiplexerKind.IoUring))
            {
                Assert.StartsWith("n/a", row[column], StringComparison.Ordinal);
                continue;
            }

            Assert.True(double.TryParse(row[column], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double nanoseconds) && nanoseconds > 0,
                $"n={row[0]}: io_uring cell '{row[column]}' is not a positive wait cost");
        }
    }
}
