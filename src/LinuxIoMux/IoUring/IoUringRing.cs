using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux.IoUring;

/// <summary>
/// One io_uring instance: the ring fd from io_uring_setup and its three mappings (submission ring, completion ring,
/// SQE array), with the ring-index arithmetic and memory ordering in one place. Knows nothing about polling.
/// </summary>
/// <remarks>
/// <para><b>Memory ordering.</b> The kernel and this process share the four ring indexes. Ours are written with a
/// release store (<see cref="Volatile.Write(ref uint, uint)"/>: stlr on arm64, a plain store on x86-64, which is
/// already release) after the memory they publish: the SQ tail after the SQEs are filled, the CQ head after the CQEs
/// are read, so the kernel never sees a half-written SQE or overwrites a CQE being read. The kernel's are read with an
/// acquire load (ldar on arm64): the CQ tail before reading the CQEs it covers, the SQ head before reusing slots. These
/// are the pairings liburing's io_uring_smp_store_release / io_uring_smp_load_acquire make.</para>
/// <para><b>Lifetime.</b> A SafeHandle: a wait AddRefs it for the whole syscall and the ring reads after it, so a
/// Dispose on another thread unmaps and closes only after that wait is done with the memory.</para>
/// <para>Not thread-safe: one thread at a time submits and reaps (the multiplexer's contract).</para>
/// </remarks>
internal sealed unsafe class IoUringRing : SafeHandle
{
    private byte* _sqRing;
    private nuint _sqRingSize;
    private byte* _cqRing;
    private nuint _cqRingSize;
    private IoUringSqe* _sqes;
    private nuint _sqesSize;

    private uint* _sqHead;
    private uint* _sqTail;
    private uint* _sqFlags;
    private uint _sqMask;
    private uint* _cqHead;
    private uint* _cqTail;
    private uint* _cqOverflow;
    private uint _cqMask;
    private IoUringCqe* _cqes;

    /// <summary>Our SQ tail: SQEs up to here are filled; the kernel's copy is updated by <see cref="Enter"/>.</summary>
    private uint _sqeTail;

    private IoUringRing()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>The ring fd.</summary>
    internal int Fd => (int)handle;

    /// <summary>SQ size the kernel chose (a power of two, at least what was asked).</summary>
    internal uint SubmissionEntries { get; private set; }

    /// <summary>CQ size the kernel chose.</summary>
    internal uint CompletionEntries { get; private set; }

    /// <summary>IORING_FEAT_* bits of this kernel.</summary>
    internal uint Features { get; private set; }

    /// <summary>Filled SQEs the kernel has not consumed yet.</summary>
    internal uint PendingSubmissions => _sqeTail - Volatile.Read(ref *_sqHead);

    /// <summary>Completions waiting in the CQ (not counting the kernel's overflow list).</summary>
    internal uint ReadyCompletions => Volatile.Read(ref *_cqTail) - *_cqHead;

    /// <summary>True when the kernel holds completions that did not fit in the CQ (IORING_SQ_CQ_OVERFLOW): an enter
    /// with IORING_ENTER_GETEVENTS moves them in once there is room.</summary>
    internal bool HasOverflowedCompletions => (Volatile.Read(ref *_sqFlags) & LibC.IORING_SQ_CQ_OVERFLOW) != 0;

    /// <summary>Completions the kernel dropped for good (it could not even queue them on its overflow list).</summary>
    internal uint DroppedCompletions => Volatile.Read(ref *_cqOverflow);

    /// <summary>
    /// io_uring_setup with <paramref name="submissionEntries"/> SQEs and a CQ of <paramref name="completionEntries"/>,
    /// then maps the rings.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">io_uring is disabled, blocked or missing here, or the kernel
    /// lacks a feature this library needs; the message says which and what to do.</exception>
    /// <exception cref="UnixException">Any other failure (EMFILE, ENOMEM).</exception>
    internal static IoUringRing Create(uint submissionEntries, uint completionEntries)
    {
        var parameters = new IoUringParams
        {
            // CLAMP: an oversized request is clamped to the kernel's maximum rather than refused. SUBMIT_ALL (5.18):
            // one failing SQE must not leave the rest of the batch unsubmitted. Retried without it on older kernels.
            Flags = LibC.IORING_SETUP_CQSIZE | LibC.IORING_SETUP_CLAMP | LibC.IORING_SETUP_SUBMIT_ALL,
            CqEntries = completionEntries,
        };
        string call = $"io_uring_setup(entries={submissionEntries})";
        int fd = LibC.io_uring_setup(submissionEntries, &parameters);
        if (fd < 0 && (Errno)Marshal.GetLastPInvokeError() == Errno.EINVAL)
        {
            parameters = new IoUringParams { Flags = LibC.IORING_SETUP_CQSIZE | LibC.IORING_SETUP_CLAMP, CqEntries = completionEntries };
            fd = LibC.io_uring_setup(submissionEntries, &parameters);
        }

        if (fd < 0)
        {
            var errno = (Errno)Marshal.GetLastPInvokeError();
            var failure = new UnixException(errno, call);
            if (errno is Errno.EPERM or Errno.ENOSYS)
            {
                throw new PlatformNotSupportedException(IoUringUnavailable.Explain(errno), failure);
            }

            throw failure;
        }

        var ring = new IoUringRing();
        ring.SetHandle(fd);
        try
        {
            ring.Map(in parameters);
        }
        catch
        {
            ring.Dispose(); // unmaps what was mapped and closes the fd
            throw;
        }

        return ring;
    }

    /// <summary>The next free SQE, cleared, at our tail; submits what is filled first if the SQ is full.</summary>
    internal IoUringSqe* NextSqe()
    {
        if (_sqeTail - Volatile.Read(ref *_sqHead) == SubmissionEntries)
        {
            Submit();
        }

        IoUringSqe* sqe = &_sqes[_sqeTail & _sqMask];
        *sqe = default;
        _sqeTail++;
        return sqe;
    }

    /// <summary>Submits every filled SQE without waiting for completions.</summary>
    /// <exception cref="UnixException">io_uring_enter failed with anything but EINTR.</exception>
    internal void Submit()
    {
        while (PendingSubmissions > 0)
        {
            int result = Enter(0, 0, null);
            if (result < 0 && (Errno)(-result) != Errno.EINTR)
            {
                throw new UnixException((Errno)(-result), $"io_uring_enter(fd={Fd}, submit={PendingSubmissions})");
            }
        }
    }

    /// <summary>
    /// Publishes the filled SQEs and calls io_uring_enter: submits them, and with <paramref name="flags"/> containing
    /// IORING_ENTER_GETEVENTS waits for <paramref name="minComplete"/> completions.
    /// </summary>
    /// <returns>The syscall's result, or the negated errno (so the caller decides which errors are normal).</returns>
    internal int Enter(uint minComplete, uint flags, IoUringGetEventsArg* arg)
    {
        // Release: the SQE contents written before this store are visible to the kernel once it sees the new tail.
        Volatile.Write(ref *(_sqTail), _sqeTail);
        uint toSubmit = _sqeTail - Volatile.Read(ref *_sqHead);
        if (arg != null)
        {
            flags |= LibC.IORING_ENTER_EXT_ARG;
        }

        int result = LibC.io_uring_enter(Fd, toSubmit, minComplete, flags, arg, arg == null ? 0 : (nuint)sizeof(IoUringGetEventsArg));
        return result >= 0 ? result : -Marshal.GetLastPInvokeError();
    }

    /// <summary>The oldest unread completion, or null when the CQ is empty. Call <see cref="AdvanceCompletions"/> after
    /// reading it.</summary>
    internal IoUringCqe* PeekCompletion(uint index)
    {
        // Acquire: the CQE contents are read only after the tail that covers them.
        uint tail = Volatile.Read(ref *_cqTail);
        uint head = *_cqHead + index;
        return head == tail ? null : &_cqes[head & _cqMask];
    }

    /// <summary>Hands <paramref name="count"/> read completions back to the kernel.</summary>
    internal void AdvanceCompletions(uint count)
    {
        // Release: our reads of those CQEs are complete before the kernel may overwrite them.
        Volatile.Write(ref *_cqHead, *_cqHead + count);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        Unmap(ref _sqes, _sqesSize);
        if (_cqRing != _sqRing)
        {
            Unmap(ref _cqRing, _cqRingSize);
        }

        Unmap(ref _sqRing, _sqRingSize);
        _cqRing = null;
        return LibC.close((int)handle) == 0;
    }

    private static void Unmap<T>(ref T* address, nuint size)
        where T : unmanaged
    {
        if (address != null)
        {
            LibC.munmap(address, size);
            address = null;
        }
    }

    private void Map(in IoUringParams p)
    {
        const uint Required = LibC.IORING_FEAT_NODROP | LibC.IORING_FEAT_EXT_ARG;
        if ((p.Features & Required) != Required)
        {
            throw new PlatformNotSupportedException(
                $"io_uring on this kernel ({Environment.OSVersion.Version}) lacks IORING_FEAT_EXT_ARG or IORING_FEAT_NODROP " +
                $"(features 0x{p.Features:x}): the io_uring multiplexer needs Linux 5.11 or later. Use MultiplexerKind.Epoll.");
        }

        SubmissionEntries = p.SqEntries;
        CompletionEntries = p.CqEntries;
        Features = p.Features;
        _sqRingSize = p.SqOffsets.Array + p.SqEntries * sizeof(uint);
        _cqRingSize = p.CqOffsets.Cqes + p.CqEntries * (uint)sizeof(IoUringCqe);
        if ((p.Features & LibC.IORING_FEAT_SINGLE_MMAP) != 0)
        {
            // One mapping serves both rings (Linux 5.4): map the larger size once.
            _sqRingSize = _cqRingSize = Math.Max(_sqRingSize, _cqRingSize);
        }

        _sqRing = (byte*)MapRegion(_sqRingSize, LibC.IORING_OFF_SQ_RING);
        _cqRing = (p.Features & LibC.IORING_FEAT_SINGLE_MMAP) != 0 ? _sqRing : (byte*)MapRegion(_cqRingSize, LibC.IORING_OFF_CQ_RING);
        _sqesSize = p.SqEntries * (nuint)sizeof(IoUringSqe);
        _sqes = (IoUringSqe*)MapRegion(_sqesSize, LibC.IORING_OFF_SQES);

        _sqHead = (uint*)(_sqRing + p.SqOffsets.Head);
        _sqTail = (uint*)(_sqRing + p.SqOffsets.Tail);
        _sqFlags = (uint*)(_sqRing + p.SqOffsets.Flags);
        _sqMask = *(uint*)(_sqRing + p.SqOffsets.RingMask);
        _cqHead = (uint*)(_cqRing + p.CqOffsets.Head);
        _cqTail = (uint*)(_cqRing + p.CqOffsets.Tail);
        _cqOverflow = (uint*)(_cqRing + p.CqOffsets.Overflow);
        _cqMask = *(uint*)(_cqRing + p.CqOffsets.RingMask);
        _cqes = (IoUringCqe*)(_cqRing + p.CqOffsets.Cqes);

        // The SQ index array maps ring slots to SQEs; identity once, so slot i always means SQE i.
        uint* array = (uint*)(_sqRing + p.SqOffsets.Array);
        for (uint i = 0; i < p.SqEntries; i++)
        {
            array[i] = i;
        }

        _sqeTail = *_sqTail;
    }

    private void* MapRegion(nuint size, long offset)
    {
        // SAFETY: a fresh shared mapping of the ring fd at the offset io_uring_setup documents for this region; it is
        // unmapped only in ReleaseHandle, after the last AddRef'd user has released the handle.
        void* address = LibC.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, Fd, offset);
        if (address == LibC.MAP_FAILED)
        {
            throw UnixException.FromLastError($"mmap(io_uring fd={Fd}, offset=0x{offset:x}, size={size})");
        }

        return address;
    }
}
