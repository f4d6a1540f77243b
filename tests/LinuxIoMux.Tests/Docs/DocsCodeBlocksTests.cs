namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// Every C# block in docs/*.md must appear, whole and in order, as compiled code in DocsExamplesTests.cs (or one of its
/// partial files), which runs
/// them (the rule ReadmeCodeBlocksTests applies to README.md, see <see cref="CodeBlockMatcher"/>): a page edit that is
/// not mirrored in the test, or the other way round, fails here, naming the page, the block and where it diverges.
/// </summary>
public class DocsCodeBlocksTests
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
        "signals.md",
        "timerfd.md",
        "pidfd.md",
        "io_uring.md",
        "async.md",
        "async-servers.md",
        "pipelines.md",
        "aspnetcore.md",
    ];

    public static TheoryData<string> PagesWithExamples => new(Pages);

    [Theory]
    [MemberData(nameof(PagesWithExamples))]
    public void Every_csharp_block_of_the_page_is_compiled_whole_by_the_examples_test(string page)
    {
        string root = Util.RepositoryRoot.Require();
        string markdown = File.ReadAllText(Path.Combine(root, "docs", page));
        List<string> blocks = CodeBlockMatcher.CSharpBlocks(markdown);
        Assert.True(blocks.Count > 0, $"docs/{page} should have at least one C# block.");

        // DocsExamplesTests.cs and its partial files (DocsExamplesTests.Descriptors.cs, ...), one per group of pages.
        string[] examples = Directory.GetFiles(Path.Combine(root, "tests/LinuxIoMux.Tests/Docs"), "DocsExamplesTests*.cs")
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadAllLines)
            .ToArray();
        string? mismatches = CodeBlockMatcher.Mismatches(blocks, examples, "DocsExamplesTests*.cs");
        Assert.True(mismatches is null, $"docs/{page} blocks not compiled whole by DocsExamplesTests*.cs:\n" + mismatches);
    }

    [Fact]
    public void Every_page_in_docs_is_checked()
    {
        // A new page with C# blocks must join Pages (and get its test in DocsExamplesTests.cs).
        string root = Util.RepositoryRoot.Require();
        var listed = Pages.ToHashSet();
        var notChecked = Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            .Where(path => CodeBlockMatcher.CSharpBlocks(File.ReadAllText(path)).Count > 0)
            .Select(Path.GetFileName)
            .Where(name => !listed.Contains(name!))
            .ToList();
        Assert.True(notChecked.Count == 0, "docs pages with C# blocks missing from DocsCodeBlocksTests.Pages: " + string.Join(", ", notChecked));
    }
}
