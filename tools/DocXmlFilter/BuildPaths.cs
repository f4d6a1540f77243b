using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace LinuxIoMux.DocXmlFilter;

/// <summary>
/// The file paths a build leaves in a DLL and its portable PDB: the PDB path in the DLL's CodeView entry, and every
/// source document of the PDB. A package must not carry the builder's checkout path; text search cannot tell, because
/// a portable PDB stores a document name as separate path parts in its blob heap.
/// </summary>
public static class BuildPaths
{
    /// <summary>The CodeView PDB path of <paramref name="dllPath"/> and the document names of <paramref name="pdbPath"/>.</summary>
    public static List<string> Read(string dllPath, string pdbPath)
    {
        var paths = new List<string>();
        using (var dll = new PEReader(File.OpenRead(dllPath)))
        {
            paths.AddRange(dll.ReadDebugDirectory()
                .Where(entry => entry.Type == DebugDirectoryEntryType.CodeView)
                .Select(entry => dll.ReadCodeViewDebugDirectoryData(entry).Path));
        }

        using var pdb = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath));
        MetadataReader reader = pdb.GetMetadataReader();
        paths.AddRange(reader.Documents.Select(handle => reader.GetString(reader.GetDocument(handle).Name)));
        return paths;
    }
}
