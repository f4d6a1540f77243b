using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// The process's descriptor limit, RLIMIT_NOFILE (getrlimit(2), setrlimit(2)): every open fd counts against the soft
/// limit, and an unprivileged process may raise the soft limit up to the hard limit, never beyond.
/// </summary>
/// <remarks>
/// Containers differ with the engine, its version and the host (1048576 on many Docker hosts, soft 1024 with hard
/// 524288 under systemd's default, 4096 or less on some CI runners); the .NET runtime raises the soft limit to the
/// hard one at start-up. Call <see cref="TryRaiseSoftLimit"/> before opening thousands of sockets, and report the hard limit when it
/// is too low (<c>docker run --ulimit nofile=65536:65536</c> raises it). Note that select(2) cannot use fds of 1024
/// or more whatever the limit.
/// </remarks>
/// <example>
/// <code>
/// if (!FdLimits.TryRaiseSoftLimit(20_000, out FdLimits limits))
///     Console.WriteLine($"only {limits.Hard} descriptors allowed: {limits}");
/// </code>
/// </example>
public readonly record struct FdLimits(ulong Soft, ulong Hard)
{
    /// <summary>The limits in force now.</summary>
    /// <exception cref="UnixException">getrlimit failed (it cannot, for RLIMIT_NOFILE, short of a broken libc).</exception>
    public static unsafe FdLimits Current
    {
        get
        {
            Rlimit limit;
            if (LibC.getrlimit(LibC.RLIMIT_NOFILE, &limit) != 0)
            {
                throw UnixException.FromLastError("getrlimit(RLIMIT_NOFILE)");
            }

            return new FdLimits(limit.Current, limit.Maximum);
        }
    }

    /// <summary>True when the hard limit is RLIM_INFINITY.</summary>
    public bool IsHardUnlimited => Hard == LibC.RLIM_INFINITY;

    /// <summary>
    /// Makes sure the soft limit is at least <paramref name="wanted"/>, raising it (never lowering it) if the hard limit
    /// allows.
    /// </summary>
    /// <param name="wanted">The number of descriptors the caller needs, including the ones already open.</param>
    /// <param name="limits">The limits in force afterwards.</param>
    /// <returns>True if the soft limit is now at least <paramref name="wanted"/>.</returns>
    /// <exception cref="UnixException">setrlimit failed for another reason than the hard limit (EPERM).</exception>
    public static unsafe bool TryRaiseSoftLimit(ulong wanted, out FdLimits limits)
    {
        limits = Current;
        if (limits.Soft >= wanted)
        {
            return true;
        }

        if (limits.Hard < wanted)
        {
            return false;
        }

        var raised = new Rlimit { Current = wanted, Maximum = limits.Hard };
        if (LibC.setrlimit(LibC.RLIMIT_NOFILE, &raised) != 0)
        {
            // EPERM: the kernel's fs.nr_open is below the hard limit; report it as "cannot" rather than crash.
            var errno = (Errno)System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno == Errno.EPERM || errno == Errno.EINVAL)
            {
                limits = Current;
                return false;
            }

            throw new UnixException(errno, $"setrlimit(RLIMIT_NOFILE, soft={wanted}, hard={limits.Hard})");
        }

        limits = Current;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"RLIMIT_NOFILE soft={Soft} hard={(IsHardUnlimited ? "unlimited" : Hard.ToString())}";
}
