// Trims a C# XML documentation file to the assembly's externally visible API. The compiler writes an entry for every
// documented member, internal and private ones included (the team keeps /// comments on internals for readers of the
// source), and a package that ships them documents an API nobody can call. Usage:
//   DocXmlFilter filter <assembly.dll> <docs.xml> <unfiltered-copy.xml>
//       keeps only entries of visible members; writes the compiler's original to the third path (tests compare the
//       two), and fails on an entry whose ID matches no declared member, rather than guess whether it is public
//   DocXmlFilter verify <assembly.dll> <docs.xml>
//       fails (exit 1) listing every entry that is not an externally visible member (used by ./build.sh pack)
using System.Xml.Linq;
using LinuxIoMux.DocXmlFilter;

//   DocXmlFilter paths <assembly.dll> <assembly.pdb> <forbidden-prefix>
//       fails listing every path in the DLL's debug entry or the PDB's documents under the prefix (the checkout), so
//       ./build.sh pack can prove the packed symbols carry mapped paths (/_/...) only
if (args.Length < 3 || (args[0], args.Length) is not (("filter", 4) or ("verify", 3) or ("paths", 4)))
{
    Console.Error.WriteLine("usage: DocXmlFilter filter <assembly> <xml> <unfiltered-copy> | verify <assembly> <xml> | " +
        "paths <assembly> <pdb> <forbidden-prefix>");
    return 2;
}

if (args[0] == "paths")
{
    List<string> paths = BuildPaths.Read(args[1], args[2]);
    var leaked = paths.Where(p => p.StartsWith(args[3], StringComparison.Ordinal)).ToList();
    leaked.Take(5).ToList().ForEach(p => Console.Error.WriteLine($"DocXmlFilter: build path in the package: {p}"));
    Console.WriteLine($"DocXmlFilter: {paths.Count} paths in DLL and PDB, {leaked.Count} under {args[3]}; e.g. {paths.LastOrDefault()}");
    return paths.Count > 0 && leaked.Count == 0 ? 0 : 1;
}

string assembly = args[1], xmlPath = args[2];
var visibility = new Dictionary<string, bool>(StringComparer.Ordinal);
foreach (DocMember member in DocCommentIds.Read(assembly))
{
    // Overloads differing only in modreq/modopt would collide; visible wins, so nothing public is ever dropped.
    visibility[member.Id] = visibility.GetValueOrDefault(member.Id) || member.IsExternallyVisible;
}

// The compiler's original: the XML itself after a compile (the compiler rewrote it, so it is newer than the copy this
// tool wrote last time), else the copy kept from the last run (only this tool changed, and the XML is already trimmed).
string source = args[0] == "filter" && File.Exists(args[3]) && File.GetLastWriteTimeUtc(args[3]) >= File.GetLastWriteTimeUtc(xmlPath)
    ? args[3]
    : xmlPath;
string original = File.ReadAllText(source);
XDocument document = XDocument.Parse(original);
List<XElement> entries = document.Descendants("member").ToList();
var unknown = entries.Select(Name).Where(id => !visibility.ContainsKey(id)).ToList();
var hidden = entries.Where(e => visibility.TryGetValue(Name(e), out bool visible) && !visible).ToList();

if (args[0] == "verify")
{
    foreach (string id in unknown.Concat(hidden.Select(Name)))
    {
        Console.Error.WriteLine($"DocXmlFilter: {xmlPath}: '{id}' is not an externally visible member of {assembly}");
    }

    return unknown.Count + hidden.Count == 0 ? 0 : 1;
}

if (unknown.Count > 0)
{
    Console.Error.WriteLine($"DocXmlFilter: error: {xmlPath} documents IDs that match no member of {assembly} " +
        $"(a doc-ID rule this tool gets wrong): {string.Join(", ", unknown)}");
    return 1;
}

foreach (XElement entry in hidden)
{
    entry.Remove();
}

string filtered = document.Declaration + Environment.NewLine + document.ToString();
// The filtered file first, the unfiltered copy last: the copy is the build target's up-to-date marker, so a run
// that fails half-way is redone by the next build instead of leaving the unfiltered file in place.
if (filtered != File.ReadAllText(xmlPath))
{
    File.WriteAllText(xmlPath, filtered);
}

File.WriteAllText(args[3], original);
Console.WriteLine($"DocXmlFilter: {xmlPath}: kept {entries.Count - hidden.Count} public entries, dropped {hidden.Count} non-public");
return 0;

static string Name(XElement member) => (string?)member.Attribute("name") ?? "";
