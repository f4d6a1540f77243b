namespace LinuxIoMux;

/// <summary>
/// Linux errno values (asm-generic/errno-base.h and errno.h; identical on x86-64 and arm64) that the
/// multiplexer calls can return. <see cref="None"/> is what the <c>Try*</c> methods return on success.
/// </summary>
/// <remarks>Values not listed here still round-trip: the enum is only a name for the int.</remarks>
public enum Errno
{
    /// <summary>No error: the call succeeded.</summary>
    None = 0,
    /// <summary>EPERM: the target fd does not support polling (e.g. a regular file given to epoll_ctl).</summary>
    EPERM = 1,
    /// <summary>ENOENT: epoll_ctl MOD/DEL of an fd that is not registered.</summary>
    ENOENT = 2,
    /// <summary>ESRCH: no such process (pidfd_open of a pid that does not exist, pidfd_send_signal after exit).</summary>
    ESRCH = 3,
    /// <summary>EINTR: interrupted by a signal handler; the waits retry it with the time left.</summary>
    EINTR = 4,
    /// <summary>EBADF: not an open file descriptor.</summary>
    EBADF = 9,
    /// <summary>EAGAIN / EWOULDBLOCK: a non-blocking read or write would block.</summary>
    EAGAIN = 11,
    /// <summary>ENOMEM: the kernel is out of memory.</summary>
    ENOMEM = 12,
    /// <summary>EFAULT: a pointer argument is outside the process's address space.</summary>
    EFAULT = 14,
    /// <summary>EEXIST: epoll_ctl ADD of an fd that is already registered.</summary>
    EEXIST = 17,
    /// <summary>EINVAL: an invalid argument (bad flags, maxevents &lt;= 0, epfd not an epoll fd, ...).</summary>
    EINVAL = 22,
    /// <summary>ENFILE: the system-wide limit on open files was reached.</summary>
    ENFILE = 23,
    /// <summary>EMFILE: the per-process limit on open fds (RLIMIT_NOFILE) was reached.</summary>
    EMFILE = 24,
    /// <summary>ENOTTY: the descriptor does not support this ioctl (epoll busy-poll parameters before Linux 6.9).</summary>
    ENOTTY = 25,
    /// <summary>ENOSPC: /proc/sys/fs/epoll/max_user_watches was reached.</summary>
    ENOSPC = 28,
    /// <summary>EPIPE: write to a pipe or socket whose reading end is closed.</summary>
    EPIPE = 32,
    /// <summary>ENOSYS: the kernel lacks this system call (e.g. epoll_pwait2 before Linux 5.11).</summary>
    ENOSYS = 38,
    /// <summary>ELOOP: epoll instances that would watch each other in a cycle, or a nest of them too deep (adding an epoll fd to itself is EINVAL).</summary>
    ELOOP = 40,
    /// <summary>ECONNRESET: the peer reset the connection.</summary>
    ECONNRESET = 104,
}
