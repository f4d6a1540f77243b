namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>Finds artifacts/native (where build.sh puts the C programs) when --native is not given.</summary>
internal static class NativeLocator
{
    /// <summary>
    /// LINUXIOMUX_NATIVE_DIR if set (build.sh and the tests set it), else the first artifacts/native found walking up
    /// from this assembly's directory, else artifacts/native under the current directory.
    /// </summary>
    internal static string DefaultDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("LINUXIOMUX_NATIVE_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "artifacts", "native");
            if (File.Exists(Path.Combine(candidate, "scaling")))
            {
                return candidate;
            }
        }

        return Path.Combine("artifacts", "native");
    }
}
