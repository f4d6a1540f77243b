namespace LinuxIoMux.Interop;

/// <summary>
/// How small a zero-timeout wait must be to use the imports without the GC transition (<c>LibC.*_zero_timeout</c>;
/// why those are sound: <see cref="LibC"/>'s remarks). Policy of this library, not C macros, so kept out of
/// <see cref="LibC"/>, whose constants the layout probe checks against the headers.
/// </summary>
internal static class ZeroTimeoutLimits
{
    /// <summary>
    /// The most pollfds a zero-timeout poll without the GC transition may pass: what the kernel copies onto its own
    /// stack (fs/select.c, N_STACK_PPS: a 256-byte buffer less the 16-byte list header, 8 bytes per pollfd). Above it,
    /// do_sys_poll allocates with GFP_KERNEL, which may sleep in reclaim: not a call to make in cooperative mode.
    /// </summary>
    internal const int PollEntries = 30;

    /// <summary>
    /// The highest <c>nfds</c> of a zero-timeout select without the GC transition: up to 320 bits the kernel keeps its
    /// six bitmaps in its 256-byte stack buffer (fs/select.c, core_sys_select: 6 x 40 bytes); above it, kvmalloc with
    /// GFP_KERNEL, which may sleep. The descriptors set below it are bounded separately, by
    /// <see cref="PollEntries"/>, since each costs select what a pollfd costs poll.
    /// </summary>
    internal const int SelectNfds = 320;

    /// <summary>
    /// The largest <c>maxevents</c> of a zero-timeout epoll_wait without the GC transition. epoll_wait allocates
    /// nothing; its work grows with the events it returns, at most this many. Timed in C on the loaded 2-core VM of
    /// issue 12 (thread CPU time per call), 64 ready events cost about 4 times one (5.3 us against 1.3 us; one costs
    /// 0.3 to 0.7 us on a quiet machine, the README's table): a bounded worst case near 2 us, over the 1 us the
    /// runtime's documentation names; what that costs is a collection started by another thread waiting that long.
    /// 64 is the event buffer an event loop typically passes (the demo's and native/waitcost's).
    /// </summary>
    internal const int EpollMaxEvents = 64;
}
