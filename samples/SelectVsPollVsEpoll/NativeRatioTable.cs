using System.Globalization;

namespace SelectVsPollVsEpoll;

/// <summary>
/// The C column: per size, each call's cost timed in C (native/waitcost) and the managed/C ratio, which is what
/// LinuxIoMux's wrapper adds to the system call (1.00x: nothing measurable).
/// </summary>
internal sealed class NativeRatioTable
{
    private static readonly string[] s_header =
        ["n", "select C ns", "select managed/C", "poll C ns", "poll managed/C", "epoll C ns", "epoll managed/C"];

    private readonly List<string[]> _rows = [];

    /// <summary>Adds one size measured both ways.</summary>
    internal void Add(WaitCosts managed, WaitCosts native) => _rows.Add(
    [
        Number(managed.N),
        native.SelectNanoseconds is double nativeSelect ? Number(nativeSelect) : "n/a",
        managed.SelectNanoseconds is double select && native.SelectNanoseconds is double c ? Ratio(select, c) : "n/a",
        Number(native.PollNanoseconds),
        Ratio(managed.PollNanoseconds, native.PollNanoseconds),
        Number(native.EpollNanoseconds),
        Ratio(managed.EpollNanoseconds, native.EpollNanoseconds),
    ]);

    /// <summary>True when no size was measured in C.</summary>
    internal bool IsEmpty => _rows.Count == 0;

    /// <summary>Writes the table as Markdown, every column right-aligned to its widest cell.</summary>
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
    }

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((cell, column) => cell.PadLeft(widths[column]))) + " |";

    private static string Number(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ratio(double managed, double native) =>
        (managed / native).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
