using System.Diagnostics;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// How the tests start a .NET program of this repository (a sample server, the benchmark CLI): with the machine's
/// <c>dotnet</c> host, or, when the tests run from a self-contained publish, by the program's own apphost beside them.
/// </summary>
/// <remarks>
/// <c>./build.sh test-arm64</c> runs the tests as a self-contained linux-arm64 publish under qemu-user on an x86-64
/// machine. There the only <c>dotnet</c> is the machine's x86-64 one: <c>dotnet X.dll</c> would run the program on
/// another architecture's runtime, or fail outright, since a self-contained program's runtimeconfig names no shared
/// framework. Its apphost, published beside the tests for the same architecture, runs it on the same runtime as the
/// tests (binfmt_misc hands it to qemu like the tests themselves).
/// </remarks>
internal static class TestHostProgram
{
    /// <summary>True when the runtime itself was published beside the tests (a self-contained publish).</summary>
    public static bool IsSelfContained { get; } = File.Exists(Path.Combine(AppContext.BaseDirectory, "libcoreclr.so"));

    /// <summary>
    /// The command that runs <paramref name="dll"/> (a path to Name.dll): "dotnet Name.dll", or "Name" (the apphost
    /// in the same folder) in a self-contained publish. Add the program's own arguments to the result's ArgumentList.
    /// </summary>
    public static ProcessStartInfo StartInfo(string dll) => StartInfo(dll, prefix: null);

    /// <summary>As <see cref="StartInfo(string)"/>, run through <paramref name="prefix"/> (e.g. prlimit and its options).</summary>
    public static ProcessStartInfo StartInfo(string dll, string[]? prefix)
    {
        string[] command = IsSelfContained ? [Path.ChangeExtension(dll, null)] : ["dotnet", dll];
        string[] full = [.. prefix ?? [], .. command];
        var start = new ProcessStartInfo(full[0]);
        foreach (string argument in full.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
