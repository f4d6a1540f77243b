using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// Lowers this process's soft RLIMIT_NOFILE so the next descriptor allocation fails with EMFILE, and restores it on
/// Dispose. Process-wide: safe only because the test assembly runs one test at a time (xunit.runner.json).
/// </summary>
internal sealed unsafe partial class DescriptorLimit : IDisposable
{
    private const int RLIMIT_NOFILE = 7;
    private const int EFD_CLOEXEC = 0x80000;

    private readonly Rlimit _original;
    private readonly List<int> _fillers = new();

    private DescriptorLimit(Rlimit original)
    {
        _original = original;
    }

    /// <summary>
    /// Sets the soft limit just above the highest open descriptor, then fills every free number below it, so no
    /// descriptor can be created until Dispose.
    /// </summary>
    public static DescriptorLimit Exhaust()
    {
        int highest = Directory.GetFileSystemEntries("/proc/self/fd").Select(path => int.Parse(Path.GetFileName(path))).Max();
        Rlimit original;
        if (getrlimit(RLIMIT_NOFILE, &original) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var limit = new DescriptorLimit(original);
        Rlimit lowered = new() { Current = (ulong)highest + 1, Maximum = original.Maximum };
        if (setrlimit(RLIMIT_NOFILE, &lowered) != 0)
        {
            throw new InvalidOperationException($"setrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        while (true)
        {
            int fd = eventfd(0, EFD_CLOEXEC);
            if (fd < 0)
            {
                break; // EMFILE: every number below the limit is taken
            }

            limit._fillers.Add(fd);
        }

        return limit;
    }

    public void Dispose()
    {
        Rlimit original = _original;
        _ = setrlimit(RLIMIT_NOFILE, &original);
        foreach (int fd in _fillers)
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int getrlimit(int resource, Rlimit* limit);

    [LibraryImport("libc.so.6", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int setrlimit(int resource, Rlimit* limit);

    [LibraryImport("libc.so.6", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);

    /// <summary>struct rlimit on 64-bit Linux: two rlim_t (unsigned long).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
