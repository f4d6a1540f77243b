namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// Every C# block of README.md must appear, whole and in order, as compiled code in ReadmeExamplesTests.cs, which
/// runs them (<see cref="CodeBlockMatcher"/>): a README edit that is not mirrored in the test (or the other way round)
/// fails here.
/// </summary>
public class ReadmeCodeBlocksTests
{
    [Fact]
    public void Every_readme_csharp_block_is_compiled_whole_by_the_examples_test()
    {
        string root = Util.RepositoryRoot.Require();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string[] examples = File.ReadAllLines(Path.Combine(root, "tests/LinuxIoMux.Tests/Docs/ReadmeExamplesTests.cs"));

        List<string> blocks = CodeBlockMatcher.CSharpBlocks(readme);
        Assert.True(blocks.Count >= 5, $"README.md should have the tour's C# blocks, found {blocks.Count}.");

        string? mismatches = CodeBlockMatcher.Mismatches(blocks, examples, "ReadmeExamplesTests.cs");
        Assert.True(mismatches is null, "README blocks not compiled whole by ReadmeExamplesTests.cs:\n" + mismatches);
    }
}
