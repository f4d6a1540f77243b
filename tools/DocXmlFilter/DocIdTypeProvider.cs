using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace LinuxIoMux.DocXmlFilter;

/// <summary>
/// Spells the types of a metadata signature the way documentation-comment IDs do (C# spec, annex D): full names with
/// '.' between nested types, generic arguments in braces, <c>`n</c>/<c>``n</c> for type/method type parameters,
/// <c>@</c> for by-ref, <c>*</c> for pointers and <c>[]</c> for arrays. Custom modifiers (<c>in</c>'s modreq) do not
/// appear in C# IDs, so they are dropped.
/// </summary>
internal sealed class DocIdTypeProvider : ISignatureTypeProvider<string, object?>
{
    /// <summary>The provider (it has no state).</summary>
    public static readonly DocIdTypeProvider Instance = new();

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode; // the enum names match

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        DefinitionName(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        TypeReference reference = reader.GetTypeReference(handle);
        string name = reader.GetString(reference.Name);
        if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return GetTypeFromReference(reader, (TypeReferenceHandle)reference.ResolutionScope, rawTypeKind) + "." + name;
        }

        string ns = reader.GetString(reference.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    /// <summary>
    /// <c>Ns.Outer`1.Inner`1</c> with arguments (A, B) becomes <c>Ns.Outer{A}.Inner{B}</c>: each arity marker takes
    /// its share of the arguments, outermost first, as metadata lists them.
    /// </summary>
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        int next = 0;
        var result = new System.Text.StringBuilder();
        int i = 0;
        while (i < genericType.Length)
        {
            if (genericType[i] != '`')
            {
                result.Append(genericType[i++]);
                continue;
            }

            int start = ++i;
            while (i < genericType.Length && char.IsAsciiDigit(genericType[i]))
            {
                i++;
            }

            int arity = int.Parse(genericType.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture);
            result.Append('{').AppendJoin(',', typeArguments.Skip(next).Take(arity)).Append('}');
            next += arity;
        }

        return result.ToString();
    }

    public string GetGenericTypeParameter(object? genericContext, int index) => "`" + index;

    public string GetGenericMethodParameter(object? genericContext, int index) => "``" + index;

    public string GetByReferenceType(string elementType) => elementType + "@";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetSZArrayType(string elementType) => elementType + "[]";

    /// <summary>A rank-2 array with no declared bounds is <c>[0:,0:]</c>, as the compiler writes it.</summary>
    public string GetArrayType(string elementType, ArrayShape shape)
    {
        var dimensions = new string[shape.Rank];
        for (int d = 0; d < shape.Rank; d++)
        {
            string lower = d < shape.LowerBounds.Length ? shape.LowerBounds[d].ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";
            string size = d < shape.Sizes.Length ? shape.Sizes[d].ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            dimensions[d] = lower + ":" + size;
        }

        return elementType + "[" + string.Join(',', dimensions) + "]";
    }

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType) => elementType;

    /// <summary>Not produced by C# for documented members of this library; spelled readably rather than failing.</summary>
    public string GetFunctionPointerType(MethodSignature<string> signature) =>
        "method " + signature.ReturnType + "(" + string.Join(',', signature.ParameterTypes) + ")";

    /// <summary>Full name with arity markers: <c>Ns.Outer`1.Inner</c> ('.' before nested names, as IDs want).</summary>
    public static string DefinitionName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return DefinitionName(reader, declaring) + "." + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
