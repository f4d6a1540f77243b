using System.Runtime.InteropServices;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// Signals as readiness (signalfd(2)): a descriptor that is readable while one of its signals is pending, so a
/// <see cref="Reactor"/> or an <see cref="EpollHandle"/> handles SIGTERM, SIGINT or SIGHUP in its loop like any other
/// event, with no handler running on an arbitrary thread. Non-blocking and close-on-exec.
/// </summary>
/// <remarks>
/// <para><b>Blocking.</b> A signal reaches the descriptor only while it is pending, that is while it is blocked. The
/// constructor therefore blocks the signals on the calling thread (pthread_sigmask(SIG_BLOCK)): create the SignalFd on
/// the thread that will wait on it, before it starts threads that should inherit the mask. Dispose closes the
/// descriptor but leaves the mask as it is; restore it with <see cref="ThreadSignalMask.Set"/> if the thread goes on.</para>
/// <para><b>Which signals arrive.</b> Reading returns the signals pending for the reading thread (sent with tgkill(2)
/// or pthread_kill(3), or raised by that thread) and those pending for the whole process. A signal sent to the process
/// (kill(2)) stays pending for the process only if <em>every</em> thread blocks it; otherwise the kernel delivers it to
/// a thread that does not, and its handler runs instead. In a .NET process the runtime's own threads, started before
/// <c>Main</c>, do not block SIGTERM, SIGINT, SIGQUIT or SIGCHLD, and the runtime handles those itself
/// (<see cref="PosixSignalRegistration"/>, <see cref="System.Diagnostics.Process"/>). So in .NET a SignalFd
/// reliably receives signals directed at the loop thread and signals nobody else handles; for process-wide shutdown
/// requests, see docs/signals.md.</para>
/// <para>Level-triggered readiness stays on while a signal is pending: read until <see cref="TryRead"/> returns false.
/// Standard signals coalesce (one pending instance each); real-time signals queue.</para>
/// </remarks>
/// <example>
/// <code>
/// using var signals = new SignalFd(SignalSet.Of(UnixSignal.SIGTERM));  // blocks SIGTERM on this thread
/// epoll.Add(signals.Handle, EpollEvents.In, data: 1);
/// // readable: while (signals.TryRead(out SignalInfo info)) Console.WriteLine(info.Signal);
/// </code>
/// </example>
public sealed unsafe class SignalFd : IDisposable
{
    /// <summary>Blocks <paramref name="signals"/> on the calling thread and creates a signalfd for them.</summary>
    /// <param name="signals">The signals to receive; SIGKILL and SIGSTOP are silently ignored by the kernel.</param>
    /// <exception cref="ArgumentException"><paramref name="signals"/> is empty.</exception>
    /// <exception cref="UnixException">EMFILE, ENFILE, ENOMEM, ENODEV. The thread's mask is restored first.</exception>
    public SignalFd(in SignalSet signals)
    {
        if (signals.IsEmpty)
        {
            throw new ArgumentException("signalfd: the set is empty, so the descriptor would never become readable.", nameof(signals));
        }

        SignalSet previous = ThreadSignalMask.Block(signals);
        SignalSet mask = signals;
        // SAFETY: mask is a local 8-byte set, the size glibc tells the kernel to read (see SignalSet's remarks).
        int fd = LibC.signalfd(-1, &mask, LibC.SFD_NONBLOCK | LibC.SFD_CLOEXEC);
        if (fd < 0)
        {
            var error = UnixException.FromLastError($"signalfd(-1, {signals}, SFD_NONBLOCK | SFD_CLOEXEC)");
            ThreadSignalMask.Set(previous);
            throw error;
        }

        Signals = signals;
        Handle = FileDescriptorHandle.Own(fd);
    }

    /// <summary>The descriptor: register it for <c>In</c> (epoll), <c>In</c> (poll) or <see cref="Interest.Readable"/>.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>The signals this descriptor reports.</summary>
    public SignalSet Signals { get; }

    /// <summary>Reads one pending signal, removing it from the pending set.</summary>
    /// <param name="info">The signal and its sender; default when none is pending.</param>
    /// <returns>False when none of <see cref="Signals"/> is pending (EAGAIN).</returns>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public bool TryRead(out SignalInfo info)
    {
        SignalInfo read = default;
        // SAFETY: SignalInfo is exactly struct signalfd_siginfo (128 bytes), the size signalfd's read requires.
        int bytes = Handle.Read(new Span<byte>(&read, sizeof(SignalInfo)));
        info = bytes == sizeof(SignalInfo) ? read : default;
        return bytes == sizeof(SignalInfo);
    }

    /// <summary>Closes the descriptor. The signals stay blocked on the thread that created it (see the remarks).</summary>
    public void Dispose() => Handle.Dispose();
}
