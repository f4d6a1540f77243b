using LinuxIoMux.DocXmlFilter;

namespace LinuxIoMux.Tests.Packaging;

/// <summary>
/// tools/DocXmlFilter spells documentation-comment IDs as the C# spec (annex D) does and classifies visibility as a user
/// of the package sees it. Checked on the shapes in DocIdFixtures.cs, compiled into this test assembly; the same IDs
/// are checked against the compiler's own output for the whole library by <see cref="ShippedDocumentationTests"/>.
/// </summary>
public class DocCommentIdRulesTests
{
    private const string Ns = "LinuxIoMux.Tests.Packaging.DocIdFixtures";

    private static readonly Dictionary<string, bool> Members = DocCommentIds
        .Read(typeof(DocIdFixtures.Generic<>).Assembly.Location)
        .Where(m => m.Id.Contains(Ns, StringComparison.Ordinal))
        .ToDictionary(m => m.Id, m => m.IsExternallyVisible);

    [Theory]
    [InlineData("T:" + Ns + ".Generic`1")]
    [InlineData("F:" + Ns + ".Generic`1.Field")]
    [InlineData("M:" + Ns + ".Generic`1.#ctor")]
    [InlineData("E:" + Ns + ".Generic`1.Changed")]
    [InlineData("P:" + Ns + ".Generic`1.Item(System.Int32,System.String)")]
    [InlineData("M:" + Ns + ".Generic`1.Method``1(``0@,`0[],System.Int32*,System.Collections.Generic.List{`0},System.Int32[0:,0:]," + Ns + ".Outer{System.Int32}.Inner{System.String})")]
    [InlineData("M:" + Ns + ".Generic`1.op_Equality(" + Ns + ".Generic{`0}," + Ns + ".Generic{`0})")]
    [InlineData("M:" + Ns + ".Generic`1.op_Implicit(" + Ns + ".Generic{`0})~System.Int32")]
    [InlineData("M:" + Ns + ".Generic`1.ProtectedMethod")]
    [InlineData("M:" + Ns + ".Generic`1.ProtectedInternalMethod")]
    [InlineData("P:" + Ns + ".Generic`1.MixedProperty")]
    [InlineData("M:" + Ns + ".Generic`1.Equals(System.Object)")]
    [InlineData("T:" + Ns + ".Generic`1.Derivable")]
    [InlineData("T:" + Ns + ".Outer`1.Inner`1")]
    [InlineData("M:" + Ns + ".Outer`1.Inner`1.Both(`0,`1)")]
    public void Externally_visible_member_has_the_spec_id(string id)
    {
        Assert.True(Members.TryGetValue(id, out bool visible), $"no member with ID {id}; the fixture's IDs are:\n" + string.Join('\n', Members.Keys));
        Assert.True(visible, id + " should be externally visible");
    }

    [Theory]
    [InlineData("M:" + Ns + ".Generic`1.System#IDisposable#Dispose")]
    [InlineData("M:" + Ns + ".Generic`1.PrivateProtectedMethod")]
    [InlineData("P:" + Ns + ".Generic`1.InternalProperty")]
    [InlineData("T:" + Ns + ".Generic`1.Hidden")]
    [InlineData("M:" + Ns + ".Generic`1.Hidden.Visible")]
    [InlineData("T:" + Ns + ".InternalType")]
    [InlineData("M:" + Ns + ".InternalType.PublicMember")]
    public void Member_hidden_from_users_is_listed_as_not_visible(string id)
    {
        Assert.True(Members.TryGetValue(id, out bool visible), $"no member with ID {id}; the fixture's IDs are:\n" + string.Join('\n', Members.Keys));
        Assert.False(visible, id + " should not be externally visible");
    }

    [Fact]
    public void Accessors_and_compiler_generated_members_get_no_id_of_their_own()
    {
        // get_X/add_X are documented through P:/E:, backing fields and closures never carry a doc comment.
        var generated = Members.Keys.Where(id => id.Contains(".get_", StringComparison.Ordinal) ||
            id.Contains(".add_", StringComparison.Ordinal) || id.Contains('<') || id.Contains("value__", StringComparison.Ordinal)).ToList();
        Assert.True(generated.Count == 0, "unexpected IDs: " + string.Join(", ", generated));
    }
}
