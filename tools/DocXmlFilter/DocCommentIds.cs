using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace LinuxIoMux.DocXmlFilter;

/// <summary>A documentation-comment ID of a type or member and whether code outside the assembly can see it.</summary>
/// <param name="Id">The ID as the compiler writes it in the XML file, e.g. <c>M:Ns.Type.Name``1(``0@)</c>.</param>
/// <param name="IsExternallyVisible">
/// Public, or protected / protected internal in an unsealed type, with every enclosing type visible too.
/// </param>
public readonly record struct DocMember(string Id, bool IsExternallyVisible);

/// <summary>
/// Reads a compiled assembly's metadata (without loading it) and lists the documentation-comment ID of every type,
/// method, property, event and field that source code declares, with its visibility. Compiler-generated members
/// (accessors, backing fields, closures, <c>value__</c>) are left out: they never carry a doc comment.
/// </summary>
public static class DocCommentIds
{
    /// <summary>Every declared type and member of the assembly at <paramref name="assemblyPath"/>.</summary>
    public static List<DocMember> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var members = new List<DocMember>();
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string typeName = DocIdTypeProvider.DefinitionName(reader, handle);
            if (typeName.Contains('<') || reader.GetString(type.Name) == "<Module>")
            {
                continue; // closures, state machines, <PrivateImplementationDetails>
            }

            bool typeVisible = IsTypeVisible(reader, handle);
            bool membersReachable = typeVisible && (type.Attributes & TypeAttributes.Sealed) == 0;
            members.Add(new DocMember("T:" + typeName, typeVisible));
            AddMethods(reader, type, typeName, typeVisible, membersReachable, members);
            AddFields(reader, type, typeName, typeVisible, membersReachable, members);
            AddProperties(reader, type, typeName, typeVisible, membersReachable, members);
            AddEvents(reader, type, typeName, typeVisible, membersReachable, members);
        }

        return members;
    }

    /// <summary>Public at the top, or nested public/protected inside visible types (protected only if unsealed).</summary>
    private static bool IsTypeVisible(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
        if (visibility == TypeAttributes.Public)
        {
            return true;
        }

        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (declaring.IsNil || !IsTypeVisible(reader, declaring))
        {
            return false;
        }

        bool declaringUnsealed = (reader.GetTypeDefinition(declaring).Attributes & TypeAttributes.Sealed) == 0;
        return visibility == TypeAttributes.NestedPublic ||
            (declaringUnsealed && visibility is TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem);
    }

    /// <summary>Member access as visibility: public always; protected and protected internal only when derivable.</summary>
    private static bool IsMemberVisible(int access, bool typeVisible, bool typeUnsealedAndVisible) =>
        (MethodAttributes)access switch
        {
            MethodAttributes.Public => typeVisible,
            MethodAttributes.Family or MethodAttributes.FamORAssem => typeUnsealedAndVisible,
            _ => false,
        };

    private static void AddMethods(MetadataReader reader, TypeDefinition type, string typeName, bool typeVisible,
        bool reachable, List<DocMember> members)
    {
        var accessors = new HashSet<MethodDefinitionHandle>();
        foreach (PropertyDefinitionHandle p in type.GetProperties())
        {
            PropertyAccessors a = reader.GetPropertyDefinition(p).GetAccessors();
            accessors.UnionWith(new[] { a.Getter, a.Setter }.Where(h => !h.IsNil));
        }

        foreach (EventDefinitionHandle e in type.GetEvents())
        {
            EventAccessors a = reader.GetEventDefinition(e).GetAccessors();
            accessors.UnionWith(new[] { a.Adder, a.Remover, a.Raiser }.Where(h => !h.IsNil));
        }

        foreach (MethodDefinitionHandle handle in type.GetMethods())
        {
            MethodDefinition method = reader.GetMethodDefinition(handle);
            string name = reader.GetString(method.Name);
            if (accessors.Contains(handle) || name.StartsWith('<'))
            {
                continue;
            }

            MethodSignature<string> signature = method.DecodeSignature(DocIdTypeProvider.Instance, null);
            string id = "M:" + typeName + "." + MemberName(name);
            if (signature.GenericParameterCount > 0)
            {
                id += "``" + signature.GenericParameterCount;
            }

            id += Parameters(signature.ParameterTypes);
            if (name is "op_Implicit" or "op_Explicit")
            {
                id += "~" + signature.ReturnType; // conversions differ only by return type
            }

            int access = (int)(method.Attributes & MethodAttributes.MemberAccessMask);
            members.Add(new DocMember(id, IsMemberVisible(access, typeVisible, reachable)));
        }
    }

    private static void AddFields(MetadataReader reader, TypeDefinition type, string typeName, bool typeVisible,
        bool reachable, List<DocMember> members)
    {
        foreach (FieldDefinitionHandle handle in type.GetFields())
        {
            FieldDefinition field = reader.GetFieldDefinition(handle);
            string name = reader.GetString(field.Name);
            if ((field.Attributes & FieldAttributes.RTSpecialName) != 0 || name.StartsWith('<'))
            {
                continue; // an enum's value__, backing fields
            }

            int access = (int)(field.Attributes & FieldAttributes.FieldAccessMask);
            members.Add(new DocMember("F:" + typeName + "." + MemberName(name), IsMemberVisible(access, typeVisible, reachable)));
        }
    }

    private static void AddProperties(MetadataReader reader, TypeDefinition type, string typeName, bool typeVisible,
        bool reachable, List<DocMember> members)
    {
        foreach (PropertyDefinitionHandle handle in type.GetProperties())
        {
            PropertyDefinition property = reader.GetPropertyDefinition(handle);
            PropertyAccessors accessors = property.GetAccessors();
            MethodSignature<string> signature = property.DecodeSignature(DocIdTypeProvider.Instance, null);
            string id = "P:" + typeName + "." + MemberName(reader.GetString(property.Name)) + Parameters(signature.ParameterTypes);
            bool visible = AnyVisible(reader, [accessors.Getter, accessors.Setter], typeVisible, reachable);
            members.Add(new DocMember(id, visible));
        }
    }

    private static void AddEvents(MetadataReader reader, TypeDefinition type, string typeName, bool typeVisible,
        bool reachable, List<DocMember> members)
    {
        foreach (EventDefinitionHandle handle in type.GetEvents())
        {
            EventDefinition @event = reader.GetEventDefinition(handle);
            EventAccessors accessors = @event.GetAccessors();
            bool visible = AnyVisible(reader, [accessors.Adder, accessors.Remover], typeVisible, reachable);
            members.Add(new DocMember("E:" + typeName + "." + MemberName(reader.GetString(@event.Name)), visible));
        }
    }

    /// <summary>A property or event is as visible as its most visible accessor.</summary>
    private static bool AnyVisible(MetadataReader reader, MethodDefinitionHandle[] accessors, bool typeVisible, bool reachable) =>
        accessors.Where(h => !h.IsNil).Any(h => IsMemberVisible(
            (int)(reader.GetMethodDefinition(h).Attributes & MethodAttributes.MemberAccessMask), typeVisible, reachable));

    /// <summary>
    /// Constructors are <c>#ctor</c>/<c>#cctor</c>; an explicit interface implementation's dotted name
    /// (<c>System.IDisposable.Dispose</c>) is written with '#' for '.', as the compiler does.
    /// </summary>
    private static string MemberName(string name) => name switch
    {
        ".ctor" => "#ctor",
        ".cctor" => "#cctor",
        _ => name.Replace('.', '#').Replace('<', '{').Replace('>', '}'),
    };

    private static string Parameters(IReadOnlyCollection<string> types) =>
        types.Count == 0 ? "" : "(" + string.Join(',', types) + ")";
}
