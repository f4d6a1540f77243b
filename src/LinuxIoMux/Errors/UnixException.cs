using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// A failed system call: carries the <see cref="Errno"/> and the call that failed, and reads like
/// <c>epoll_ctl(ADD, fd=7): File exists (EEXIST)</c>.
/// </summary>
/// <remarks>
/// Derives from <see cref="IOException"/> so code that already catches I/O failures catches these too.
/// Invalid arguments that can be detected before the call throw <see cref="ArgumentException"/> instead and make
/// no system call; use after dispose throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class UnixException : IOException
{
    /// <summary>Creates the exception for <paramref name="errno"/> returned by <paramref name="call"/>.</summary>
    /// <param name="errno">The errno the call set.</param>
    /// <param name="call">The call and its salient arguments, e.g. <c>epoll_ctl(ADD, fd=7)</c>.</param>
    public UnixException(Errno errno, string call)
        : base(FormatMessage(errno, call))
    {
        Errno = errno;
        Call = call;
        HResult = (int)errno;
    }

    /// <summary>The errno value the call set.</summary>
    public Errno Errno { get; }

    /// <summary>The call and its salient arguments, e.g. <c>epoll_ctl(ADD, fd=7)</c>.</summary>
    public string Call { get; }

    /// <summary>Reads errno left by the last <c>SetLastError = true</c> P/Invoke on this thread and wraps it.</summary>
    internal static UnixException FromLastError(string call) => new((Errno)Marshal.GetLastPInvokeError(), call);

    private static string FormatMessage(Errno errno, string call)
    {
        // strerror(3) text from the runtime, then the symbolic name, which is what people search for.
        string text = Marshal.GetPInvokeErrorMessage((int)errno);
        string name = Enum.IsDefined(errno) ? errno.ToString() : $"errno {(int)errno}";
        return $"{call}: {text} ({name})";
    }
}
