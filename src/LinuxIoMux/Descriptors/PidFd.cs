using System.Diagnostics;
using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// A process as a descriptor (pidfd_open(2), Linux 5.3): readable once the process has exited, so a loop waits for
/// a child (or any process it may signal) beside its sockets, with no SIGCHLD handler and no polling. The descriptor
/// names that one process for its whole life, so unlike a pid it cannot come to mean another process after reuse.
/// Close-on-exec (always, for pidfds).
/// </summary>
/// <remarks>
/// <para>Readable means the process has terminated (it may still be a zombie waiting to be reaped). This type does
/// not reap it: for a child started with <see cref="Process"/>, the runtime reaps it and fills
/// <see cref="Process.ExitCode"/>; reading the status here with waitid(P_PIDFD) would race with that.</para>
/// <para>Open the descriptor while the process is known to be alive (for a <see cref="Process"/> child, before
/// anything could have reaped it): once reaped, its pid may be reused and pidfd_open would name the new process.
/// A child that exited but is not yet reaped still gets a pidfd, which is readable at once.</para>
/// <para>Needs Linux 5.3 and glibc 2.36 (for the wrapper); otherwise <see cref="Open(int)"/> throws
/// <see cref="UnixException"/> with ENOSYS.</para>
/// </remarks>
/// <example>
/// <code>
/// using Process child = Process.Start("sleep", "0.1");
/// using PidFd exited = PidFd.Open(child);
/// epoll.Add(exited.Handle, EpollEvents.In, data: 3);  // readable when sleep exits
/// </code>
/// </example>
public sealed unsafe class PidFd : IDisposable
{
    private PidFd(int processId, FileDescriptorHandle handle)
    {
        ProcessId = processId;
        Handle = handle;
    }

    /// <summary>The descriptor: register it for <c>In</c> or <see cref="Interest.Readable"/>; never read from it.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>The pid the descriptor was opened for.</summary>
    public int ProcessId { get; }

    /// <summary>Opens a pidfd for the process <paramref name="processId"/> (pidfd_open(pid, 0)).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processId"/> is zero or negative.</exception>
    /// <exception cref="UnixException">ESRCH (no such process), EINVAL (not a thread-group leader), EMFILE, ENFILE,
    /// ENOMEM, ENOSYS (kernel before 5.3 or glibc before 2.36).</exception>
    public static PidFd Open(int processId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        int fd;
        try
        {
            fd = LibC.pidfd_open(processId, 0);
        }
        catch (EntryPointNotFoundException)
        {
            throw new UnixException(Errno.ENOSYS, $"pidfd_open(pid={processId}, 0) (this glibc has no wrapper; it needs 2.36)");
        }

        if (fd < 0)
        {
            throw UnixException.FromLastError($"pidfd_open(pid={processId}, 0)");
        }

        return new PidFd(processId, FileDescriptorHandle.Own(fd));
    }

    /// <summary>Opens a pidfd for <paramref name="process"/> (its <see cref="Process.Id"/>).</summary>
    /// <inheritdoc cref="Open(int)"/>
    public static PidFd Open(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return Open(process.Id);
    }

    /// <summary>True once the process has exited: a zero-timeout poll(2) of the descriptor.</summary>
    public bool HasExited
    {
        get
        {
            using var set = new PollSet(1);
            set.Add(Handle, PollEvents.In);
            return set.Wait(0) > 0;
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the process through the descriptor (pidfd_send_signal(2), Linux 5.1).</summary>
    /// <remarks>Safe against pid reuse: if the process has exited, this fails with ESRCH instead of signalling another.</remarks>
    /// <exception cref="UnixException">ESRCH (the process has exited), EPERM, EINVAL.</exception>
    public void SendSignal(UnixSignal signal)
    {
        bool referenced = false;
        // SAFETY: the reference keeps the pidfd open and its number unreused for the call.
        Handle.DangerousAddRef(ref referenced);
        try
        {
            if (LibC.pidfd_send_signal(Handle.Fd, (int)signal, null, 0) != 0)
            {
                throw UnixException.FromLastError($"pidfd_send_signal(pidfd={Handle.Fd} (pid {ProcessId}), {signal})");
            }
        }
        finally
        {
            if (referenced)
            {
                Handle.DangerousRelease();
            }
        }
    }

    /// <summary>Closes the descriptor; the process is not affected.</summary>
    public void Dispose() => Handle.Dispose();
}
