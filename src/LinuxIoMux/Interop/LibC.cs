namespace LinuxIoMux.Interop;

/// <summary>
/// Raw declarations of the libc functions LinuxIoMux calls, one partial file per syscall family.
/// Every declaration is <c>LibraryImport</c> with <c>SetLastError = true</c> so errno is captured by the
/// marshaller right after the call, before anything else in the runtime can overwrite it.
/// </summary>
/// <remarks>
/// <para>The general imports carry no <c>SuppressGCTransition</c>: the waits block by design, <c>epoll_ctl</c> takes
/// the epoll mutex that a concurrent wait may hold, and <c>close</c> of a socket with SO_LINGER can block. A thread
/// that stays in cooperative mode keeps a collection from starting until it returns, so one that blocks there would
/// stall every other thread's collection (or deadlock, if what wakes it waits for that collection).</para>
/// <para><b>The zero-timeout imports</b> (<c>*_zero_timeout</c>: epoll_wait, poll, select) are the one exception, and
/// only for small sets (<see cref="ZeroTimeoutLimits"/>). The runtime's documentation of
/// SuppressGCTransitionAttribute requires the native function to be short (it says under 1 microsecond), not to block,
/// not to call back into the runtime, not to throw, and not to take locks or other concurrency primitives. With a zero
/// timeout these calls check readiness and return; they never sleep (poll(2), select(2), epoll_wait(2): "a timeout of
/// zero causes ... to return immediately"). glibc's wrappers are plain system calls (no callbacks, no C++ exceptions;
/// the pthread-cancellation bookkeeping around them is two atomic updates of the calling thread's own flags). The
/// kernel's own locks (the epoll mutex and spinlock, socket wait-queue locks) are never held across a return to user
/// space, so no managed thread can be waiting for a collection while holding one: the worst a contended one costs is
/// that the call takes longer (another thread's epoll_ctl holding the epoll mutex), as any call does. errno stays precise: SetLastError = true still makes the generated
/// stub clear errno before and read it right after the call, and without the transition there is not even a GC poll
/// between the two. On an EINTR the callers loop as they do for the general import.</para>
/// <para>Within <see cref="ZeroTimeoutLimits"/> the kernel allocates nothing (larger poll and select sets are copied
/// into memory allocated with GFP_KERNEL, which may sleep) and its work, which grows with the descriptors it checks,
/// stays short. The transition is a fixed cost of a few nanoseconds, so it only shows next to such short calls anyway.</para>
/// </remarks>
internal static unsafe partial class LibC
{
    /// <summary>
    /// glibc's soname. "libc" alone would make the loader try <c>libc.so</c>, which on Debian with libc6-dev
    /// is a linker script that dlopen rejects; the soname is what is actually mapped into every process.
    /// </summary>
    private const string Library = "libc.so.6";
}
