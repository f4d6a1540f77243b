using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// One signal read from a <see cref="SignalFd"/>: the kernel's 128-byte <c>struct signalfd_siginfo</c>, read in place
/// (offsets checked against the headers by the native layout probe). The fields mirror <c>siginfo_t</c> (sigaction(2)).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public readonly struct SignalInfo
{
    [FieldOffset(0)] private readonly uint _signal;
    [FieldOffset(4)] private readonly int _errno;
    [FieldOffset(8)] private readonly int _code;
    [FieldOffset(12)] private readonly uint _pid;
    [FieldOffset(16)] private readonly uint _uid;
    [FieldOffset(40)] private readonly int _status;
    [FieldOffset(44)] private readonly int _value;

    /// <summary>The signal (ssi_signo).</summary>
    public UnixSignal Signal => (UnixSignal)_signal;

    /// <summary>The errno that came with the signal, usually none (ssi_errno).</summary>
    public Errno Errno => (Errno)_errno;

    /// <summary>
    /// Where it came from (ssi_code): 0 (SI_USER) for kill(2), -6 (SI_TKILL) for tgkill(2), -1 (SI_QUEUE) for
    /// sigqueue(3); for SIGCHLD, 1 (CLD_EXITED), 2 (CLD_KILLED), ...
    /// </summary>
    public int Code => _code;

    /// <summary>The sender's process id (ssi_pid); for SIGCHLD, the child's.</summary>
    public int ProcessId => (int)_pid;

    /// <summary>The sender's real user id (ssi_uid).</summary>
    public uint UserId => _uid;

    /// <summary>For SIGCHLD: the exit status or the signal that ended the child (ssi_status).</summary>
    public int Status => _status;

    /// <summary>The integer sent with sigqueue(3) (ssi_int).</summary>
    public int Value => _value;

    /// <inheritdoc/>
    public override string ToString() => $"{Signal} from pid {ProcessId} (code {Code})";
}
