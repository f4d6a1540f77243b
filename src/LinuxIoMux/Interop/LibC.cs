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
/// only for small sets (the limits below). The runtime's documentation of
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
/// <para>Within the limits the kernel allocates nothing (larger poll and select sets are copied into memory allocated
/// with GFP_KERNEL, which may sleep) and its work, which grows with the descriptors it checks, stays short. The
/// transition is a fixed cost of a few nanoseconds, so it only shows next to such short calls anyway.</para>
/// </remarks>
internal static unsafe partial class LibC
{
    /// <summary>
    /// The most pollfds a zero-timeout poll without the GC transition may pass: what the kernel copies onto its own
    /// stack (fs/select.c, N_STACK_PPS: a 256-byte buffer less the 16-byte list header, 8 bytes per pollfd). Above it,
    /// do_sys_poll allocates with GFP_KERNEL, which may sleep in reclaim: not a call to make in cooperative mode.
    /// </summary>
    internal const int ZeroTimeoutPollLimit = 30;

    /// <summary>
    /// The highest <c>nfds</c> of a zero-timeout select without the GC transition: up to 320 bits the kernel keeps its
    /// six bitmaps in its 256-byte stack buffer (fs/select.c, core_sys_select: 6 x 40 bytes); above it, kvmalloc with
    /// GFP_KERNEL, which may sleep. The descriptors set below it are bounded separately, by
    /// <see cref="ZeroTimeoutPollLimit"/>, since each costs select what a pollfd costs poll.
    /// </summary>
    internal const int ZeroTimeoutSelectNfdsLimit = 320;

    /// <summary>
    /// The largest <c>maxevents</c> of a zero-timeout epoll_wait without the GC transition. epoll_wait allocates
    /// nothing; its work grows with the events it returns, at most this many. Timed in C on the loaded 2-core VM of
    /// issue 12 (thread CPU time per call), 64 ready events cost about 4 times one (5.3 us against 1.3 us; one costs
    /// 0.3 to 0.7 us on a quiet machine, the README's table): a bounded worst case near 2 us, over the 1 us the
    /// runtime's documentation names; what that costs is a collection started by another thread waiting that long.
    /// 64 is the event buffer an event loop typically passes (the demo's and native/waitcost's).
    /// </summary>
    internal const int ZeroTimeoutEpollLimit = 64;

    /// <summary>
    /// glibc's soname. "libc" alone would make the loader try <c>libc.so</c>, which on Debian with libc6-dev
    /// is a linker script that dlopen rejects; the soname is what is actually mapped into every process.
    /// </summary>
    private const string Library = "libc.so.6";
}
