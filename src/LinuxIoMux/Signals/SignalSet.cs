using System.Text;

namespace LinuxIoMux;

/// <summary>
/// A set of signals in the kernel's own <c>sigset_t</c> layout: 64 bits, bit <c>n - 1</c> for signal <c>n</c>
/// (sigsetops(3)). The mask argument of <see cref="SignalFd"/>, <see cref="ThreadSignalMask"/> and the masked waits
/// (<see cref="EpollHandle"/>'s <c>epoll_pwait</c>, <see cref="PollSet"/>'s <c>ppoll</c>, <see cref="Select"/>'s
/// <c>pselect6</c>).
/// </summary>
/// <remarks>
/// <para><b>Why 8 bytes and not glibc's 128.</b> glibc's <c>sigset_t</c> reserves 1024 bits, but the kernel has
/// <c>_NSIG</c> = 64 signals on x86-64 and arm64 and every system call that takes a mask (signalfd4, epoll_pwait,
/// epoll_pwait2, ppoll, pselect6, rt_sigprocmask) is told a size of <c>_NSIG / 8</c> = 8 bytes and reads exactly
/// that. glibc's wrappers for those calls forward the caller's pointer with that size, so this 8-byte struct is
/// marshalled as is, without copying. The one exception is pthread_sigmask(3), which may copy a whole glibc set
/// before the syscall: <see cref="ThreadSignalMask"/> widens into a 128-byte buffer for it. The native layout probe
/// checks both sizes against this machine's headers.</para>
/// <para>A mutable value type, like the C type: <see cref="Add"/> and <see cref="Remove"/> change this instance.</para>
/// </remarks>
/// <example>
/// <code>
/// var set = SignalSet.Of(UnixSignal.SIGTERM, UnixSignal.SIGINT);
/// set.Add(UnixSignal.SIGHUP);
/// Console.WriteLine(set); // {SIGHUP, SIGINT, SIGTERM}
/// </code>
/// </example>
public struct SignalSet : IEquatable<SignalSet>
{
    /// <summary>The highest signal number the kernel has on x86-64 and arm64 (<c>_NSIG</c>, the last real-time signal).</summary>
    public const int MaxSignal = 64;

    /// <summary>Bit n-1 is signal n, exactly as the kernel stores it.</summary>
    private ulong _bits;

    /// <summary>The empty set (as after sigemptyset(3)).</summary>
    public static SignalSet Empty => default;

    /// <summary>Every signal, 1 to 64 (as after sigfillset(3)); the kernel ignores SIGKILL and SIGSTOP in masks.</summary>
    public static SignalSet All => new() { _bits = ulong.MaxValue };

    /// <summary>True when no signal is in the set.</summary>
    public readonly bool IsEmpty => _bits == 0;

    /// <summary>How many signals are in the set.</summary>
    public readonly int Count => System.Numerics.BitOperations.PopCount(_bits);

    /// <summary>A set holding <paramref name="signals"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A signal outside 1..64.</exception>
    public static SignalSet Of(params ReadOnlySpan<UnixSignal> signals)
    {
        var set = default(SignalSet);
        foreach (UnixSignal signal in signals)
        {
            set.Add(signal);
        }

        return set;
    }

    /// <summary>Adds <paramref name="signal"/> (sigaddset(3)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64).</exception>
    public void Add(UnixSignal signal) => _bits |= Bit(signal);

    /// <summary>Removes <paramref name="signal"/> (sigdelset(3)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64).</exception>
    public void Remove(UnixSignal signal) => _bits &= ~Bit(signal);

    /// <summary>True if <paramref name="signal"/> is in the set (sigismember(3)).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a signal number (1..64).</exception>
    public readonly bool Contains(UnixSignal signal) => (_bits & Bit(signal)) != 0;

    /// <inheritdoc/>
    public readonly bool Equals(SignalSet other) => _bits == other._bits;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is SignalSet other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => _bits.GetHashCode();

    /// <summary>The members by name (or number for real-time signals), e.g. <c>{SIGINT, SIGTERM}</c>.</summary>
    public override readonly string ToString()
    {
        var text = new StringBuilder("{");
        for (int signal = 1; signal <= MaxSignal; signal++)
        {
            if ((_bits & (1UL << (signal - 1))) != 0)
            {
                text.Append(text.Length > 1 ? ", " : "").Append(Enum.IsDefined((UnixSignal)signal) ? ((UnixSignal)signal).ToString() : signal.ToString());
            }
        }

        return text.Append('}').ToString();
    }

    /// <summary>Equal when they hold the same signals.</summary>
    public static bool operator ==(SignalSet left, SignalSet right) => left.Equals(right);

    /// <summary>Different when one holds a signal the other does not.</summary>
    public static bool operator !=(SignalSet left, SignalSet right) => !left.Equals(right);

    /// <summary>The raw 64-bit mask, for the interop code that widens it into a glibc set.</summary>
    internal readonly ulong Bits => _bits;

    internal static SignalSet FromBits(ulong bits) => new() { _bits = bits };

    private static ulong Bit(UnixSignal signal)
    {
        int number = (int)signal;
        if (number < 1 || number > MaxSignal)
        {
            throw new ArgumentOutOfRangeException(nameof(signal), number, $"A signal number is 1 to {MaxSignal}.");
        }

        return 1UL << (number - 1);
    }
}
