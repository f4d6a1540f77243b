using System.Xml.Linq;
using LinuxIoMux.DocXmlFilter;

namespace LinuxIoMux.Tests.Packaging;

/// <summary>
/// The XML documentation file that ships beside LinuxIoMux.dll (and in the package) documents what a user can call and
/// nothing else. It is the compiler's file after tools/DocXmlFilter: the compiler's original, with the internals' entries,
/// is kept as obj/.../LinuxIoMux.unfiltered.xml and serves as the oracle for the doc-ID rules.
/// </summary>
public class ShippedDocumentationTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string Library = typeof(EpollHandle).Assembly.Location;

    private static readonly List<DocMember> Declared = DocCommentIds.Read(Library);

    [Fact]
    public void Shipped_xml_documents_no_member_that_is_not_externally_visible()
    {
        var visible = Declared.Where(m => m.IsExternallyVisible).Select(m => m.Id).ToHashSet();
        List<string> shipped = EntryIds(Path.ChangeExtension(Library, ".xml"));
        Assert.NotEmpty(shipped);
        var notVisible = shipped.Where(id => !visible.Contains(id)).ToList();
        Assert.True(notVisible.Count == 0, "LinuxIoMux.xml documents non-public members:\n" + string.Join('\n', notVisible));
    }

    [Fact]
    public void Every_public_entry_the_compiler_wrote_is_still_shipped()
    {
        var visible = Declared.Where(m => m.IsExternallyVisible).Select(m => m.Id).ToHashSet();
        List<string> compiled = EntryIds(UnfilteredXml());
        var shipped = EntryIds(Path.ChangeExtension(Library, ".xml")).ToHashSet();
        var dropped = compiled.Where(id => visible.Contains(id) && !shipped.Contains(id)).ToList();
        Assert.True(dropped.Count == 0, "public entries missing from LinuxIoMux.xml:\n" + string.Join('\n', dropped));
        // The filter had work to do: the library documents internals too, and those entries were the ones removed.
        Assert.Contains(compiled, id => !visible.Contains(id));
    }

    [Fact]
    public void Every_id_the_compiler_wrote_is_one_the_filter_computes()
    {
        // The compiler is the authority on doc-ID spelling: an entry the tool cannot name is one it could misjudge.
        var known = Declared.Select(m => m.Id).ToHashSet();
        var unknown = EntryIds(UnfilteredXml()).Where(id => !known.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, "compiler doc IDs that DocCommentIds does not produce:\n" + string.Join('\n', unknown));
    }

    private static string UnfilteredXml()
    {
        string path = Path.Combine(Util.RepositoryRoot.Require(), "src/LinuxIoMux/obj", Configuration, "net10.0/LinuxIoMux.unfiltered.xml");
        Assert.True(File.Exists(path), path + " is missing: the library's FilterDocumentationToPublicApi target did not run");
        return path;
    }

    private static List<string> EntryIds(string xmlPath) =>
        XDocument.Load(xmlPath).Descendants("member").Select(m => (string?)m.Attribute("name") ?? "").ToList();
}
