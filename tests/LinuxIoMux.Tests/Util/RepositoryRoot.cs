namespace LinuxIoMux.Tests.Util;

/// <summary>The checkout the tests run from: the first folder above the test binaries that holds LinuxIoMux.sln.</summary>
internal static class RepositoryRoot
{
    /// <summary>The root, or null when the tests run outside a checkout.</summary>
    public static string? Find()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "LinuxIoMux.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The root; throws when there is none.</summary>
    public static string Require() =>
        Find() ?? throw new DirectoryNotFoundException("LinuxIoMux.sln not found above " + AppContext.BaseDirectory);
}
