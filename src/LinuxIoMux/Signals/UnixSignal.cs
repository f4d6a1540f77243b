namespace LinuxIoMux;

/// <summary>
/// Linux signal numbers (signal(7)), the same on x86-64 and arm64 (asm-generic numbering). Real-time signals have no
/// names here: cast their number (34 to 64) to this type.
/// </summary>
/// <remarks>
/// Unlike <see cref="System.Runtime.InteropServices.PosixSignal"/>, whose values are the runtime's own abstract
/// (negative) codes, these are the numbers the kernel uses, as signalfd(2) reports them and sigset_t stores them.
/// </remarks>
public enum UnixSignal
{
    /// <summary>SIGHUP (1): hang-up of the controlling terminal; daemons use it for "reload configuration".</summary>
    SIGHUP = 1,
    /// <summary>SIGINT (2): interrupt from the keyboard (Ctrl+C).</summary>
    SIGINT = 2,
    /// <summary>SIGQUIT (3): quit from the keyboard (Ctrl+\).</summary>
    SIGQUIT = 3,
    /// <summary>SIGUSR1 (10): user-defined; the default action terminates the process.</summary>
    SIGUSR1 = 10,
    /// <summary>SIGUSR2 (12): user-defined; the default action terminates the process.</summary>
    SIGUSR2 = 12,
    /// <summary>SIGPIPE (13): write to a pipe with no reader (the .NET runtime ignores it).</summary>
    SIGPIPE = 13,
    /// <summary>SIGALRM (14): timer signal from alarm(2).</summary>
    SIGALRM = 14,
    /// <summary>SIGTERM (15): the polite termination request (what <c>kill</c>, systemd and Kubernetes send first).</summary>
    SIGTERM = 15,
    /// <summary>SIGCHLD (17): a child stopped or exited.</summary>
    SIGCHLD = 17,
    /// <summary>SIGCONT (18): continue if stopped.</summary>
    SIGCONT = 18,
    /// <summary>SIGWINCH (28): the terminal window was resized; ignored by default.</summary>
    SIGWINCH = 28,
}
