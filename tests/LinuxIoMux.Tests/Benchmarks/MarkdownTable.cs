namespace LinuxIoMux.Tests.Benchmarks;

/// <summary>A pipe table read back from a markdown report: header cells and row cells, trimmed.</summary>
internal sealed record MarkdownTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Every table in <paramref name="markdown"/>: a "|" line followed by a "|---" separator line, then rows.</summary>
    internal static List<MarkdownTable> ParseAll(string markdown)
    {
        string[] lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var tables = new List<MarkdownTable>();
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|') || !lines[i + 1].StartsWith("|--", StringComparison.Ordinal))
            {
                continue;
            }

            IReadOnlyList<string> header = Cells(lines[i]);
            var rows = new List<IReadOnlyList<string>>();
            int next = i + 2;
            for (; next < lines.Length && lines[next].StartsWith('|'); next++)
            {
                rows.Add(Cells(lines[next]));
            }

            tables.Add(new MarkdownTable(header, rows));
            i = next;
        }

        return tables;
    }

    private static string[] Cells(string line) => [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];
}
