using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// The calling thread's signal mask (pthread_sigmask(3)): the signals the kernel holds pending for this thread instead
/// of delivering them. Blocking is how a <see cref="SignalFd"/> gets its signals, and what the masked waits lift for
/// the duration of one wait.
/// </summary>
/// <remarks>
/// <para><b>Per thread.</b> The mask belongs to the calling thread only, and a thread created afterwards inherits its
/// creator's mask. Change it on threads you own (a reactor's loop thread, a dedicated thread), not on thread-pool
/// threads, which would carry the change into unrelated work.</para>
/// <para><b>What glibc and the runtime keep.</b> glibc silently leaves its two internal signals (32 and 33) unblocked.
/// The .NET runtime interrupts threads running managed code with the first real-time signal (34) to suspend them
/// for a collection: keep 34 out of the sets you block (<see cref="SignalSet.All"/> includes it).</para>
/// </remarks>
public static unsafe class ThreadSignalMask
{
    /// <summary>The calling thread's current mask.</summary>
    public static SignalSet Get() => Change(LibC.SIG_BLOCK, null, "SIG_BLOCK, NULL");

    /// <summary>Adds <paramref name="signals"/> to the calling thread's mask (SIG_BLOCK).</summary>
    /// <returns>The mask before the call, to restore with <see cref="Set"/>.</returns>
    public static SignalSet Block(in SignalSet signals) => Change(LibC.SIG_BLOCK, signals, "SIG_BLOCK");

    /// <summary>Removes <paramref name="signals"/> from the calling thread's mask (SIG_UNBLOCK); pending ones are delivered now.</summary>
    /// <returns>The mask before the call.</returns>
    public static SignalSet Unblock(in SignalSet signals) => Change(LibC.SIG_UNBLOCK, signals, "SIG_UNBLOCK");

    /// <summary>Replaces the calling thread's mask with <paramref name="mask"/> (SIG_SETMASK).</summary>
    /// <returns>The mask before the call.</returns>
    public static SignalSet Set(in SignalSet mask) => Change(LibC.SIG_SETMASK, mask, "SIG_SETMASK");

    private static SignalSet Change(int how, SignalSet? signals, string call)
    {
        // glibc-sized sets: pthread_sigmask may copy the whole 128-byte new set (see SignalSet's remarks); the kernel
        // writes the old mask's first 8 bytes, which hold every signal there is.
        ulong* newSet = stackalloc ulong[LibC._SIGSET_NWORDS];
        ulong* oldSet = stackalloc ulong[LibC._SIGSET_NWORDS];
        new Span<ulong>(newSet, LibC._SIGSET_NWORDS).Clear();
        new Span<ulong>(oldSet, LibC._SIGSET_NWORDS).Clear();
        if (signals is SignalSet set)
        {
            newSet[0] = set.Bits;
        }

        // SAFETY: both buffers are live stack memory of the full glibc size.
        int error = LibC.pthread_sigmask(how, signals.HasValue ? newSet : null, oldSet);
        if (error != 0)
        {
            throw new UnixException((Errno)error, $"pthread_sigmask({call})");
        }

        return SignalSet.FromBits(oldSet[0]);
    }
}
