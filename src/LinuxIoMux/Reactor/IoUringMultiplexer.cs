using LinuxIoMux.Interop;
using LinuxIoMux.IoUring;
using LinuxIoMux.Timing;

namespace LinuxIoMux;

/// <summary>
/// <see cref="IMultiplexer"/> over io_uring(7): readiness through IORING_OP_POLL_ADD requests on raw
/// io_uring_setup/io_uring_enter and the mmap'd rings (no liburing). Level-triggered; a wait costs O(ready) like epoll.
/// </summary>
/// <remarks>
/// <para><b>How level-triggered readiness is made.</b> Each registered descriptor has at most one one-shot poll
/// request in the kernel. A wait reaps its completions; every descriptor it reports is re-armed by the next wait, in
/// the same io_uring_enter that waits, and a re-arm on a descriptor that is still ready completes at once. So a
/// descriptor is reported by every wait while it stays ready, as with epoll's default mode, for one SQE per report and
/// one syscall per wait. Multishot polls (IORING_POLL_ADD_MULTI) are not used: they post a completion per wake-up of
/// the file, which is edge-triggered, and turning that back into level-triggered needs the same re-check per report
/// that the one-shot re-arm already is (docs/io_uring.md).</para>
/// <para><b>Registration changes are batched.</b> Add queues the first poll for the next wait; an interest change
/// cancels the armed poll (IORING_OP_POLL_REMOVE) and queues a new one; a token-only change makes no syscall (the
/// token lives in the managed table). Every request carries the descriptor and a generation in its user_data, so a
/// completion of a cancelled or superseded request is recognised and dropped. Because the first poll is submitted by
/// the next wait, a kernel refusal (EBADF: the descriptor was closed first) is reported then, as an error on that
/// registration, the way poll(2) reports POLLNVAL.</para>
/// <para><b>Remove before close, and Remove is immediate.</b> An armed poll request holds a reference to the file, so
/// unlike epoll the kernel does not forget a descriptor that is closed while registered: the socket stays open (no
/// FIN to the peer) until the request is cancelled. Remove therefore submits its IORING_OP_POLL_REMOVE at once (one
/// io_uring_enter, like epoll_ctl(DEL)), and disposing the multiplexer closes the ring, which cancels every request.</para>
/// <para><b>The wait.</b> The timeout goes to io_uring_enter through IORING_ENTER_EXT_ARG (Linux 5.11), with
/// nanosecond resolution; EINTR is retried with the remaining time. When more completions are waiting than the
/// caller's buffer holds, the rest stay in the completion queue, in order, for the next wait. A completion queue that
/// overflows is drained by the kernel's overflow list (IORING_FEAT_NODROP, flushed by every waiting enter); should the
/// kernel ever drop completions anyway, every armed poll is cancelled and re-armed, so no readiness is lost.</para>
/// <para><b>Threads.</b> A poll request belongs to the thread that submitted it; if that thread exits, the kernel
/// cancels the request, and the next wait re-arms it. Requires Linux 5.11 and io_uring not blocked
/// (<see cref="Multiplexer.IsSupported"/>).</para>
/// </remarks>
public sealed unsafe class IoUringMultiplexer : Multiplexer
{
    /// <summary>
    /// SQ entries: a wait writes one SQE per descriptor the previous wait reported, at most the reactor's 1024-entry
    /// event buffer; 256 keeps the SQE array at 16 KiB and costs one extra submit-only enter per 256 re-arms beyond.
    /// </summary>
    private const uint DefaultSubmissionEntries = 256;

    /// <summary>
    /// CQ entries: one outstanding poll per registration, so 4096 (64 KiB) holds every completion of 4096 descriptors
    /// ready at once; beyond that the kernel's overflow list takes the rest (IORING_FEAT_NODROP).
    /// </summary>
    private const uint DefaultCompletionEntries = 4096;

    private const ulong RemoveTag = 1UL << 62;
    private const uint GenerationMask = 0x3FFF_FFFF;
    private const int ECANCELED = 125;

    private readonly IoUringRing _ring;
    private PollSlot[] _slots = new PollSlot[64];
    private int[] _toArm = new int[64];
    private int _toArmCount;
    private uint _droppedSeen;

    /// <summary>Creates the ring (io_uring_setup) and maps it.</summary>
    /// <exception cref="PlatformNotSupportedException">io_uring is disabled by kernel.io_uring_disabled, blocked by a
    /// seccomp filter (EPERM; Docker's default profile does this), missing (ENOSYS) or older than Linux 5.11. The message
    /// says which and what to do; the inner <see cref="UnixException"/> carries the errno.</exception>
    /// <exception cref="UnixException">EMFILE, ENFILE, ENOMEM.</exception>
    public IoUringMultiplexer()
        : this(DefaultSubmissionEntries, DefaultCompletionEntries)
    {
    }

    /// <summary>A ring of chosen sizes (tests use a tiny completion queue to make it overflow).</summary>
    internal IoUringMultiplexer(uint submissionEntries, uint completionEntries)
    {
        _ring = IoUringRing.Create(submissionEntries, completionEntries);
    }

    /// <inheritdoc/>
    public override MultiplexerKind Kind => MultiplexerKind.IoUring;

    /// <summary>
    /// No: a POLL_ADD for POLLPRI does not complete when TCP urgent data arrives, although poll(2) then reports POLLPRI
    /// (measured on Linux 6.18 with a raw-syscall C program), so a priority registration would wait forever.
    /// </summary>
    private protected override bool SupportsPriority => false;

    /// <summary>The completion queue's size as the kernel set it up.</summary>
    internal uint CompletionEntries => _ring.CompletionEntries;

    private enum PollState : byte
    {
        /// <summary>Not registered.</summary>
        None,

        /// <summary>Registered; no request in the kernel; on the to-arm list.</summary>
        NeedsArm,

        /// <summary>A poll request of <see cref="PollSlot.Generation"/> is in the kernel (or its completion is in the CQ).</summary>
        Armed,
    }

    private protected override void AddToKernel(int fd, Interest interest, ulong token)
    {
        ref PollSlot slot = ref Slot(fd);
        slot.Generation++;
        slot.State = PollState.NeedsArm;
        QueueArm(fd);
    }

    private protected override void ModifyInKernel(int fd, Interest interest, ulong token)
    {
        ref PollSlot slot = ref _slots[fd];
        if (slot.State == PollState.Armed && slot.ArmedMask != ToPollMask(interest))
        {
            CancelArmed(fd, ref slot); // submitted with the next enter: the stale completion is dropped by generation
            slot.State = PollState.NeedsArm;
            QueueArm(fd);
        }
    }

    private protected override void RemoveFromKernel(int fd, Interest interest)
    {
        ref PollSlot slot = ref _slots[fd];
        bool armed = slot.State == PollState.Armed;
        if (armed)
        {
            CancelArmed(fd, ref slot);
        }

        slot.State = PollState.None;
        if (armed)
        {
            // Now, not with the next wait: the request holds the file open, and the caller is about to close it.
            _ring.Submit();
        }
    }

    private protected override int WaitCore(Span<ReadyEvent> events, TimeSpan timeout)
    {
        var deadline = WaitDeadline.StartTimeSpan(timeout, nameof(timeout));
        bool added = false;
        try
        {
            // SAFETY: the reference keeps the rings mapped until this wait is done reading them, even if another
            // thread disposes the multiplexer meanwhile.
            _ring.DangerousAddRef(ref added);
            while (true)
            {
                ArmQueued();
                EnterForWait(deadline, poll: timeout == TimeSpan.Zero);
                int written = Reap(events);
                if (written > 0 || timeout == TimeSpan.Zero || deadline.HasExpired)
                {
                    return written;
                }

                // Only dropped completions (cancelled or superseded requests), an EINTR or a re-arm: wait again for
                // the time that is left, so a 1 s wait does not end early.
            }
        }
        finally
        {
            if (added)
            {
                _ring.DangerousRelease();
            }
        }
    }

    private protected override void DisposeCore() => _ring.Dispose(); // closing the ring cancels every request

    private ref PollSlot Slot(int fd)
    {
        if (fd >= _slots.Length)
        {
            Array.Resize(ref _slots, Math.Max(fd + 1, _slots.Length * 2));
        }

        return ref _slots[fd];
    }

    private void QueueArm(int fd)
    {
        if (_toArmCount == _toArm.Length)
        {
            Array.Resize(ref _toArm, _toArm.Length * 2);
        }

        _toArm[_toArmCount++] = fd;
    }

    /// <summary>Queues an IORING_OP_POLL_REMOVE of the armed request and moves the slot to a new generation, so the
    /// request's own completion (-ECANCELED, or its result if it fired first) is recognised as stale.</summary>
    private void CancelArmed(int fd, ref PollSlot slot)
    {
        IoUringSqe* remove = _ring.NextSqe();
        remove->Opcode = LibC.IORING_OP_POLL_REMOVE;
        remove->Fd = -1;
        remove->Address = PollUserData(fd, slot.Generation);
        remove->UserData = RemoveTag | (uint)fd;
        slot.Generation++;
    }

    /// <summary>Writes a POLL_ADD for every registered descriptor that has none in the kernel.</summary>
    private void ArmQueued()
    {
        for (int i = 0; i < _toArmCount; i++)
        {
            int fd = _toArm[i];
            ref PollSlot slot = ref _slots[fd];
            if (slot.State != PollState.NeedsArm || !TryGetRegistration(fd, out Interest interest, out _))
            {
                continue; // removed since, or already armed by an earlier entry of this list
            }

            IoUringSqe* sqe = _ring.NextSqe();
            sqe->Opcode = LibC.IORING_OP_POLL_ADD;
            sqe->Fd = fd;
            sqe->PollEvents = ToPollMask(interest);
            sqe->UserData = PollUserData(fd, slot.Generation);
            slot.ArmedMask = sqe->PollEvents;
            slot.State = PollState.Armed;
        }

        _toArmCount = 0;
    }

    /// <summary>One io_uring_enter: submits the queued SQEs and, unless completions are already waiting, waits.</summary>
    private void EnterForWait(in WaitDeadline deadline, bool poll)
    {
        bool wait = _ring.ReadyCompletions == 0 && !poll;
        if (!wait && _ring.PendingSubmissions == 0 && !_ring.HasOverflowedCompletions && _ring.ReadyCompletions > 0)
        {
            return; // completions are waiting and nothing needs the kernel: no syscall
        }

        IoUringGetEventsArg arg = default;
        Timespec timespec = default;
        if (wait && !deadline.IsInfinite)
        {
            timespec = Timespec.FromTicks(deadline.RemainingTicks());
            arg.Timespec = (ulong)&timespec;
        }

        // GETEVENTS even without waiting: it runs the task work that posts poll completions and flushes the
        // kernel's overflow list into the CQ.
        int result = _ring.Enter(wait ? 1u : 0u, LibC.IORING_ENTER_GETEVENTS, &arg);
        if (result >= 0)
        {
            return;
        }

        switch ((Errno)(-result))
        {
            case Errno.EINTR:
                InterruptCounter.Increment(); // the caller's loop waits again with the remaining time
                return;
            case (Errno)62: // ETIME: the timeout passed
            case Errno.EAGAIN: // no room to post or to allocate right now: reap first
            case (Errno)16: // EBUSY: completions overflowed (kernels before 5.19 refuse to submit then): reap first
                return;
            default:
                throw new UnixException((Errno)(-result), $"io_uring_enter(fd={_ring.Fd}, GETEVENTS)");
        }
    }

    /// <summary>Reads completions into <paramref name="events"/> until it is full or the CQ is empty.</summary>
    private int Reap(Span<ReadyEvent> events)
    {
        int written = 0;
        uint read = 0;
        while (written < events.Length)
        {
            IoUringCqe* cqe = _ring.PeekCompletion(read);
            if (cqe == null)
            {
                if (!_ring.HasOverflowedCompletions)
                {
                    break;
                }

                // The CQ is drained but the kernel holds more on its overflow list: hand back what was read and let
                // a non-waiting enter move them in, so one wait reports every ready descriptor, as epoll would.
                _ring.AdvanceCompletions(read);
                read = 0;
                FlushOverflow();
                continue;
            }

            read++;
            ulong userData = cqe->UserData;
            if ((userData & RemoveTag) != 0)
            {
                continue; // a POLL_REMOVE's own completion
            }

            int fd = (int)(uint)userData;
            if ((uint)fd >= (uint)_slots.Length)
            {
                continue;
            }

            ref PollSlot slot = ref _slots[fd];
            if (slot.State != PollState.Armed || (slot.Generation & GenerationMask) != (uint)(userData >> 32))
            {
                continue; // a cancelled or superseded request (or a removed descriptor): stale
            }

            slot.State = PollState.NeedsArm;
            QueueArm(fd);
            int result = cqe->Result;
            if (result == -ECANCELED)
            {
                continue; // cancelled by the kernel (its submitting thread exited): re-armed, nothing to report
            }

            if (TryGetRegistration(fd, out _, out ulong token))
            {
                events[written++] = new ReadyEvent(token, ToReadiness(result));
            }
        }

        _ring.AdvanceCompletions(read);
        RecoverDroppedCompletions();
        return written;
    }

    private void FlushOverflow()
    {
        int result = _ring.Enter(0, LibC.IORING_ENTER_GETEVENTS, null);
        if (result < 0 && (Errno)(-result) is not (Errno.EINTR or Errno.EAGAIN or (Errno)16 /* EBUSY */))
        {
            throw new UnixException((Errno)(-result), $"io_uring_enter(fd={_ring.Fd}, GETEVENTS)");
        }
    }

    /// <summary>
    /// If the kernel dropped completions (its overflow list could not grow), some armed poll may have completed
    /// unseen: cancel and re-arm every armed poll, so each reports its current readiness again.
    /// </summary>
    private void RecoverDroppedCompletions()
    {
        uint dropped = _ring.DroppedCompletions;
        if (dropped == _droppedSeen)
        {
            return;
        }

        _droppedSeen = dropped;
        for (int fd = 0; fd < _slots.Length; fd++)
        {
            if (_slots[fd].State == PollState.Armed)
            {
                CancelArmed(fd, ref _slots[fd]);
                _slots[fd].State = PollState.NeedsArm;
                QueueArm(fd);
            }
        }
    }

    private static ulong PollUserData(int fd, uint generation) => (ulong)(generation & GenerationMask) << 32 | (uint)fd;

    private static uint ToPollMask(Interest interest) => (ushort)PollEventMapping.ToPoll(interest);

    private static Readiness ToReadiness(int result) => result < 0
        ? Readiness.From(readable: false, writable: false, readClosed: false, writeClosed: true, error: true, priority: false) // EBADF and the like: as poll's POLLNVAL
        : PollEventMapping.ToReadiness((PollEvents)(short)result);

    /// <summary>What the multiplexer knows about one descriptor number.</summary>
    private struct PollSlot
    {
        internal uint Generation;
        internal uint ArmedMask;
        internal PollState State;
    }
}
