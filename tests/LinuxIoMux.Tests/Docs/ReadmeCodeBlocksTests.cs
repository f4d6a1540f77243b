using System.Text.RegularExpressions;

namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// Every line of every C# block in README.md must appear in ReadmeExamplesTests.cs, which runs them: a README edit
/// that is not mirrored in the test (or the other way round) fails here.
/// </summary>
public partial class ReadmeCodeBlocksTests
{
    [Fact]
    public void Every_readme_csharp_line_is_compiled_by_the_examples_test()
    {
        string root = Util.RepositoryRoot.Require();
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var compiled = new HashSet<string>(
            File.ReadAllLines(Path.Combine(root, "tests/LinuxIoMux.Tests/Docs/ReadmeExamplesTests.cs")).Select(Normalize));

        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 5, $"README.md should have the tour's C# blocks, found {blocks.Count}.");

        var missing = blocks
            .SelectMany(block => block.Split('\n'))
            .Select(Normalize)
            .Where(line => line.Length > 0 && !compiled.Contains(line))
            .ToList();
        Assert.True(missing.Count == 0, "README lines not in ReadmeExamplesTests.cs:\n" + string.Join('\n', missing));
    }

    private static string Normalize(string line) => Regex.Replace(line.Trim(), @"\s+", " ");

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
