using LinuxIoMux.Interop;

namespace LinuxIoMux;

// Per-instance busy polling (EPIOCSPARAMS/EPIOCGPARAMS, Linux 6.9).
public sealed unsafe partial class EpollHandle
{
    /// <summary>
    /// Sets this instance's busy-poll parameters (ioctl(EPIOCSPARAMS), Linux 6.9): a wait then spins on the receive
    /// queues of the NAPI contexts of its sockets before sleeping, trading CPU for latency.
    /// </summary>
    /// <remarks>
    /// <para><b>What it needs.</b> A kernel of 6.9 or later built with CONFIG_NET_RX_BUSY_POLL, and sockets whose
    /// device has NAPI (real NICs; not loopback or AF_UNIX, where the setting is accepted but changes nothing). The
    /// epoll instance busy-polls only when all its sockets share one NAPI ID, so use one epoll per receive queue
    /// (SO_INCOMING_NAPI_ID, or one ReactorGroup loop per queue with matching IRQ affinity). A budget above 64 needs
    /// CAP_NET_ADMIN. The system-wide alternative is the net.core.busy_poll sysctl.</para>
    /// <para>Unavailable, the call fails with a <see cref="UnixException"/>: ENOTTY (kernel before 6.9, or busy
    /// polling compiled out), EPERM (a budget above 64 without CAP_NET_ADMIN), EINVAL (microseconds above
    /// int.MaxValue).</para>
    /// </remarks>
    /// <exception cref="UnixException">ENOTTY, EPERM or EINVAL, as above.</exception>
    /// <exception cref="ObjectDisposedException">This instance is disposed.</exception>
    public void SetBusyPoll(EpollBusyPoll parameters)
    {
        var native = new EpollParams
        {
            BusyPollMicroseconds = parameters.Microseconds,
            BusyPollBudget = parameters.Budget,
            PreferBusyPoll = parameters.PreferBusyPoll ? (byte)1 : (byte)0,
        };
        IoctlParams(EpollParams.EPIOCSPARAMS, &native, "EPIOCSPARAMS");
    }

    /// <summary>Reads this instance's busy-poll parameters (ioctl(EPIOCGPARAMS), Linux 6.9).</summary>
    /// <inheritdoc cref="SetBusyPoll" path="/remarks"/>
    /// <exception cref="UnixException">ENOTTY where busy-poll parameters are unavailable.</exception>
    /// <exception cref="ObjectDisposedException">This instance is disposed.</exception>
    public EpollBusyPoll GetBusyPoll()
    {
        var native = default(EpollParams);
        IoctlParams(EpollParams.EPIOCGPARAMS, &native, "EPIOCGPARAMS");
        return new EpollBusyPoll(native.BusyPollMicroseconds, native.BusyPollBudget, native.PreferBusyPoll != 0);
    }

    private void IoctlParams(uint request, EpollParams* parameters, string name)
    {
        bool selfReferenced = false;
        // SAFETY: keeps the epoll fd open and its number unreused for the call; parameters points at the caller's
        // 8-byte stack struct, exactly what the ioctl reads or writes.
        DangerousAddRef(ref selfReferenced);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (LibC.ioctl((int)handle, request, parameters) != 0)
            {
                throw UnixException.FromLastError($"ioctl(epfd={(int)handle}, {name})");
            }
        }
        finally
        {
            if (selfReferenced)
            {
                DangerousRelease();
            }
        }
    }
}
