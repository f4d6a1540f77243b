using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

/// <summary>
/// <c>struct epoll_params</c> from &lt;linux/eventpoll.h&gt; (Linux 6.9): 8 bytes, the padding byte must be zero.
/// The ioctl numbers are _IOW/_IOR(0x8A, 1/2, struct epoll_params); both are checked by the layout probe.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EpollParams
{
    /// <summary>EPIOCSPARAMS: _IOW(0x8A, 0x01, struct epoll_params).</summary>
    internal const uint EPIOCSPARAMS = 0x40088A01;

    /// <summary>EPIOCGPARAMS: _IOR(0x8A, 0x02, struct epoll_params).</summary>
    internal const uint EPIOCGPARAMS = 0x80088A02;

    internal uint BusyPollMicroseconds;
    internal ushort BusyPollBudget;
    internal byte PreferBusyPoll;
    internal byte Padding;
}
