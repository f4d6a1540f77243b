using System.Globalization;

namespace SelectVsPollVsEpoll;

/// <summary>
/// The result table: one row per size, columns aligned for a terminal and written as a Markdown table, so the output
/// can be pasted into a README or an issue as it is.
/// </summary>
internal sealed class ResultTable
{
    private static readonly string[] s_header = ["n", "select ns", "poll ns", "epoll ns", "epoll speed-up over poll", "io_uring ns"];

    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    /// <summary>Adds the measured costs of one size.</summary>
    internal void Add(WaitCosts costs) => _rows.Add(
    [
        Number(costs.N),
        costs.SelectNanoseconds is double select ? Number(select) : $"n/a (fd >= {LinuxIoMux.FdSet.Capacity})",
        Number(costs.PollNanoseconds),
        Number(costs.EpollNanoseconds),
        costs.EpollSpeedUpOverPoll.ToString("0.0", CultureInfo.InvariantCulture) + "x",
        costs.IoUringNanoseconds is double ioUring ? Number(ioUring) : "n/a (io_uring blocked)",
    ]);

    /// <summary>Adds a size that was not measured; the reason is printed as a note under the table.</summary>
    internal void AddSkipped(int n, string reason)
    {
        _rows.Add([Number(n), "skipped (fd limit)", "-", "-", "-", "-"]);
        _notes.Add($"n={n} skipped: {reason}");
    }

    /// <summary>Writes the table, every column right-aligned to its widest cell.</summary>
    internal void Write(TextWriter output)
    {
        var widths = new int[s_header.Length];
        foreach (string[] row in _rows.Prepend(s_header))
        {
            for (int column = 0; column < widths.Length; column++)
            {
                widths[column] = Math.Max(widths[column], row[column].Length);
            }
        }

        output.WriteLine(Line(s_header, widths));
        output.WriteLine("|" + string.Join("|", widths.Select(width => new string('-', width + 1) + ":")) + "|");
        foreach (string[] row in _rows)
        {
            output.WriteLine(Line(row, widths));
        }

        foreach (string note in _notes)
        {
            output.WriteLine(note);
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((cell, column) => cell.PadLeft(widths[column]))) + " |";

    private static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
