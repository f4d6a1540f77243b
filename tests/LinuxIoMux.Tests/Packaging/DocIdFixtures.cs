// Shapes whose documentation-comment IDs the C# spec (annex D) spells in a particular way, read back from this test
// assembly's metadata by DocCommentIdRulesTests. Never called: only their metadata matters.
#pragma warning disable CS0067 // the event is never raised
#pragma warning disable CA1822, CA1051, CA1815, CA1000, CA1034, CA2231, CA1063, CA1816, CA1065, CA2225, CA1066, CA1720
namespace LinuxIoMux.Tests.Packaging.DocIdFixtures;

/// <summary>A generic public type with one of each member kind.</summary>
public unsafe class Generic<T> : IDisposable
{
    /// <summary>Field.</summary>
    public int Field;

    /// <summary>Constructor.</summary>
    public Generic() { }

    /// <summary>Event.</summary>
    public event Action<T>? Changed;

    /// <summary>Indexer.</summary>
    public int this[int index, string key] => index;

    /// <summary>A generic method with by-ref, array, pointer, constructed-generic and rank-2 array parameters.</summary>
    public void Method<U>(ref U a, T[] b, int* p, List<T> list, int[,] grid, Outer<int>.Inner<string> nested) { }

    /// <summary>Equality.</summary>
    public static bool operator ==(Generic<T> left, Generic<T> right) => ReferenceEquals(left, right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Generic<T> left, Generic<T> right) => !ReferenceEquals(left, right);

    /// <summary>Conversion: the return type is part of the ID.</summary>
    public static implicit operator int(Generic<T> value) => 0;

    /// <summary>Protected in an unsealed public type: derivable, so visible.</summary>
    protected void ProtectedMethod() { }

    /// <summary>Protected internal: visible (the protected half).</summary>
    protected internal void ProtectedInternalMethod() { }

    /// <summary>Private protected: only derived types in this assembly.</summary>
    private protected void PrivateProtectedMethod() { }

    /// <summary>Internal.</summary>
    internal int InternalProperty { get; set; }

    /// <summary>Public getter, private setter: visible.</summary>
    public int MixedProperty { get; private set; }

    /// <summary>Explicit interface implementation: callable only through the interface, so not listed.</summary>
    void IDisposable.Dispose() { }

    /// <summary>Equals.</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <summary>Hash.</summary>
    public override int GetHashCode() => 0;

    /// <summary>A nested private type: invisible, and so are its public members.</summary>
    private sealed class Hidden
    {
        /// <summary>Public, inside a hidden type.</summary>
        public void Visible() { }
    }

    /// <summary>A nested protected type in an unsealed public type: visible.</summary>
    protected class Derivable
    {
    }
}

/// <summary>Nested generic types.</summary>
public static class Outer<TOuter>
{
    /// <summary>Inner.</summary>
    public sealed class Inner<TInner>
    {
        /// <summary>Uses both type parameters.</summary>
        public void Both(TOuter outer, TInner inner) { }
    }
}

/// <summary>An internal type: invisible with all its members.</summary>
internal sealed class InternalType
{
    /// <summary>Public member of an internal type.</summary>
    public void PublicMember() { }
}
