namespace LinuxIoMux.Interop;

/// <summary>
/// Raw declarations of the libc functions LinuxIoMux calls, one partial file per syscall family.
/// Every declaration is <c>LibraryImport</c> with <c>SetLastError = true</c> so errno is captured by the
/// marshaller right after the call, before anything else in the runtime can overwrite it.
/// </summary>
/// <remarks>
/// None of these carries <c>SuppressGCTransition</c>: the waits block by design, <c>epoll_ctl</c> takes the
/// epoll mutex that a concurrent wait may hold, and <c>close</c> of a socket with SO_LINGER can block. A call
/// that suspends the GC for its whole duration would stall every other thread's collection.
/// </remarks>
internal static unsafe partial class LibC
{
    /// <summary>
    /// glibc's soname. "libc" alone would make the loader try <c>libc.so</c>, which on Debian with libc6-dev
    /// is a linker script that dlopen rejects; the soname is what is actually mapped into every process.
    /// </summary>
    private const string Library = "libc.so.6";
}
