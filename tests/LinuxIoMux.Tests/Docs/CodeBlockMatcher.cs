using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// Finds each C# block of a markdown page, whole and in order, in the test file that compiles and runs it. Lines are
/// compared after trimming and collapsing whitespace, blank lines are ignored, and lines inside <c>/* */</c> comments
/// or <c>#if false</c> regions of the test file do not count: a block matches only as one contiguous run of compiled
/// lines. Matching lines one by one anywhere in the file would accept an example whose lines were reordered, whose
/// statements survive only in a comment, or whose closing braces match any brace. The one exception: the
/// <c>using</c> directives that open a top-level-program block sit at the top of the test file, where C# requires them,
/// so they are looked up among its compiled lines and the rest of the block must still be contiguous.
/// </summary>
internal static partial class CodeBlockMatcher
{
    /// <summary>The bodies of the page's <c>```csharp</c> blocks.</summary>
    public static List<string> CSharpBlocks(string markdown) =>
        CSharpBlock().Matches(markdown.Replace("\r\n", "\n")).Select(m => m.Groups[1].Value).ToList();

    /// <summary>
    /// Null when every block of <paramref name="blocks"/> appears as a contiguous run of compiled lines of
    /// <paramref name="testFileLines"/>; otherwise one paragraph per block that does not, saying how far it matched.
    /// </summary>
    public static string? Mismatches(IEnumerable<string> blocks, string[] testFileLines, string testFileName)
    {
        List<(int LineNumber, string Text)> compiled = CompiledLines(testFileLines);
        var problems = new List<string>();
        int blockNumber = 0;
        foreach (string block in blocks)
        {
            blockNumber++;
            List<string> wanted = block.Split('\n').Select(Normalize).Where(line => line.Length > 0).ToList();
            List<string> directives = wanted.TakeWhile(line => UsingDirective().IsMatch(line)).ToList();
            wanted.RemoveRange(0, directives.Count);
            foreach (string directive in directives.Where(d => !compiled.Any(line => line.Text == d)))
            {
                problems.Add($"block {blockNumber}: the directive '{directive}' is not a compiled line of {testFileName}");
            }

            if (wanted.Count == 0)
            {
                continue;
            }

            (int start, int matched) = LongestRun(wanted, compiled);
            if (matched == wanted.Count)
            {
                continue;
            }

            string where = matched == 0
                ? $"its first line is not a compiled line of {testFileName}"
                : $"its first {matched} lines match {testFileName} from line {compiled[start].LineNumber}, then the next compiled line is " +
                  (start + matched < compiled.Count ? $"'{compiled[start + matched].Text}'" : "the end of the file");
            problems.Add($"block {blockNumber} ('{wanted[0]}'): {where}; the block has '{wanted[matched]}' there");
        }

        return problems.Count == 0 ? null : string.Join('\n', problems);
    }

    /// <summary>The longest run of <paramref name="wanted"/>'s lines, from its first, found consecutively in the file.</summary>
    private static (int Start, int Length) LongestRun(List<string> wanted, List<(int LineNumber, string Text)> compiled)
    {
        (int start, int length) best = (0, 0);
        for (int i = 0; i < compiled.Count; i++)
        {
            int length = 0;
            while (length < wanted.Count && i + length < compiled.Count && compiled[i + length].Text == wanted[length])
            {
                length++;
            }

            if (length > best.length)
            {
                best = (i, length);
            }
        }

        return best;
    }

    /// <summary>Non-blank lines of the test file that the compiler sees, normalized, with their 1-based numbers.</summary>
    private static List<(int LineNumber, string Text)> CompiledLines(string[] lines)
    {
        var compiled = new List<(int, string)>();
        bool inBlockComment = false;
        int disabledDepth = 0; // nesting inside #if false
        for (int i = 0; i < lines.Length; i++)
        {
            string text = Normalize(lines[i]);
            bool startedInComment = inBlockComment;
            bool touchesBlockComment = ScanForBlockComments(text, ref inBlockComment) || startedInComment;
            if (!startedInComment && text.StartsWith("#if", StringComparison.Ordinal))
            {
                disabledDepth += disabledDepth > 0 || text == "#if false" ? 1 : 0;
            }
            else if (!startedInComment && text.StartsWith("#endif", StringComparison.Ordinal) && disabledDepth > 0)
            {
                disabledDepth--;
                continue;
            }

            if (text.Length > 0 && !touchesBlockComment && disabledDepth == 0)
            {
                compiled.Add((i + 1, text));
            }
        }

        return compiled;
    }

    /// <summary>
    /// Follows <c>/* */</c> comments through one line, skipping string and char literals and <c>//</c> comments (so
    /// "docs/*.md" in a doc comment opens nothing). True when any part of the line is inside a block comment.
    /// </summary>
    private static bool ScanForBlockComments(string line, ref bool inBlockComment)
    {
        bool touched = inBlockComment;
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            char next = i + 1 < line.Length ? line[i + 1] : '\0';
            if (inBlockComment)
            {
                if (c == '*' && next == '/')
                {
                    inBlockComment = false;
                    i++;
                }
            }
            else if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '/' && next == '/')
            {
                break;
            }
            else if (c == '/' && next == '*')
            {
                inBlockComment = true;
                touched = true;
                i++;
            }
        }

        return touched;
    }

    private static string Normalize(string line) => WhiteSpace().Replace(line.Trim(), " ");

    /// <summary>"using System.Text;" (a namespace import), not "using var x = ..." or "using (x)".</summary>
    [GeneratedRegex(@"^using (static )?[A-Za-z_][A-Za-z0-9_.]*;$")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
