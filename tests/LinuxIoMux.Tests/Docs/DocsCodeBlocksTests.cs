using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// Every line of every C# block in docs/*.md must appear in DocsExamplesTests.cs, which runs them (the same rule
/// ReadmeCodeBlocksTests applies to README.md): a page edit that is not mirrored in the test, or the other way round,
/// fails here, naming the page and the lines.
/// </summary>
public partial class DocsCodeBlocksTests
{
    /// <summary>The pages that must carry C# examples; a page missing from disk or without a block fails.</summary>
    private static readonly string[] Pages =
    [
        "getting-started.md",
        "epoll.md",
        "poll.md",
        "select.md",
        "descriptors.md",
        "reactor.md",
        "choosing.md",
        "errors.md",
        "containers.md",
        "io_uring.md",
    ];

    public static TheoryData<string> PagesWithExamples => new(Pages);

    [Theory]
    [MemberData(nameof(PagesWithExamples))]
    public void Every_csharp_line_of_the_page_is_compiled_by_the_examples_test(string page)
    {
        string root = Util.RepositoryRoot.Require();
        string markdown = File.ReadAllText(Path.Combine(root, "docs", page));
        List<string> blocks = CSharpBlocks(markdown);
        Assert.True(blocks.Count > 0, $"docs/{page} should have at least one C# block.");

        var missing = MissingLines(blocks, CompiledLines(root));
        Assert.True(missing.Count == 0, $"docs/{page} lines not in DocsExamplesTests.cs:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Every_page_in_docs_is_checked()
    {
        // A new page with C# blocks must join Pages (and get its test in DocsExamplesTests.cs).
        string root = Util.RepositoryRoot.Require();
        var listed = Pages.ToHashSet();
        var notChecked = Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            .Where(path => CSharpBlocks(File.ReadAllText(path)).Count > 0)
            .Select(Path.GetFileName)
            .Where(name => !listed.Contains(name!))
            .ToList();
        Assert.True(notChecked.Count == 0, "docs pages with C# blocks missing from DocsCodeBlocksTests.Pages: " + string.Join(", ", notChecked));
    }

    private static HashSet<string> CompiledLines(string root) => new(
        File.ReadAllLines(Path.Combine(root, "tests/LinuxIoMux.Tests/Docs/DocsExamplesTests.cs")).Select(Normalize));

    private static List<string> CSharpBlocks(string markdown) =>
        CSharpBlock().Matches(markdown.Replace("\r\n", "\n")).Select(m => m.Groups[1].Value).ToList();

    private static List<string> MissingLines(IEnumerable<string> blocks, HashSet<string> compiled) => blocks
        .SelectMany(block => block.Split('\n'))
        .Select(Normalize)
        .Where(line => line.Length > 0 && !compiled.Contains(line))
        .ToList();

    private static string Normalize(string line) => Regex.Replace(line.Trim(), @"\s+", " ");

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
