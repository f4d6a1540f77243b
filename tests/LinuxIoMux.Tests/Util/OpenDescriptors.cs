namespace LinuxIoMux.Tests.Util;

/// <summary>Counts this process's open descriptors through /proc/self/fd, for leak checks.</summary>
internal static class OpenDescriptors
{
    public static int Count()
    {
        // Enumerating opens one directory fd itself; it is counted the same way before and after.
        return Directory.GetFileSystemEntries("/proc/self/fd").Length;
    }

    /// <summary>True if <paramref name="fd"/> is open in this process.</summary>
    public static bool IsOpen(int fd) => File.Exists($"/proc/self/fd/{fd}") || Directory.Exists($"/proc/self/fd/{fd}");
}
