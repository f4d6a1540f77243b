using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Util;

/// <summary>libc calls the tests need and the library does not expose (signals to one thread, raw fds).</summary>
internal static unsafe partial class TestLibC
{
    private const string Library = "libc.so.6";

    public const int SIGWINCH = 28;

    public const int SHUT_RD = 0;
    public const int SHUT_WR = 1;

    public const int SC_CLK_TCK = 2;

    [LibraryImport(Library, EntryPoint = "gettid")]
    public static partial int gettid();

    [LibraryImport(Library, EntryPoint = "getpid")]
    public static partial int getpid();

    /// <summary>tgkill(2): sends a signal to one thread, so it interrupts exactly the wait under test.</summary>
    [LibraryImport(Library, EntryPoint = "tgkill", SetLastError = true)]
    public static partial int tgkill(int tgid, int tid, int sig);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, EntryPoint = "dup", SetLastError = true)]
    public static partial int dup(int fd);

    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    public static partial int dup2(int oldfd, int newfd);

    /// <summary>shutdown(2) on a raw descriptor (a socketpair end has no System.Net.Sockets.Socket).</summary>
    [LibraryImport(Library, EntryPoint = "shutdown", SetLastError = true)]
    public static partial int shutdown(int fd, int how);

    /// <summary>kill(2): signals a child process (SIGTERM/SIGINT to a sample server).</summary>
    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Library, EntryPoint = "getuid")]
    public static partial uint getuid();

    /// <summary>
    /// sigpending(2): the signals pending for the calling thread or the process. <paramref name="set"/> points at a
    /// glibc-sized sigset_t (16 unsigned longs); the first holds signals 1..64.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "sigpending", SetLastError = true)]
    public static partial int sigpending(ulong* set);

    [LibraryImport(Library, EntryPoint = "sysconf")]
    public static partial long sysconf(int name);
}
