using System.Runtime.InteropServices;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>Owns one AF_UNIX SOCK_DGRAM descriptor and closes it on Dispose.</summary>
internal sealed class DatagramSocketHandle : SafeHandle
{
    private DatagramSocketHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc/>
    public override bool IsInvalid => handle < 0;

    /// <summary>The descriptor number.</summary>
    internal int Fd => (int)handle;

    /// <summary>Opens a non-blocking, close-on-exec datagram socket.</summary>
    /// <exception cref="UnixException">socket(2) failed (EMFILE when RLIMIT_NOFILE is reached).</exception>
    internal static DatagramSocketHandle Open()
    {
        int fd = DatagramInterop.Socket(DatagramInterop.AfUnix, DatagramInterop.SockDgramNonBlockCloExec, 0);
        return fd >= 0
            ? new DatagramSocketHandle(fd)
            : throw new UnixException((Errno)Marshal.GetLastPInvokeError(), "socket(AF_UNIX, SOCK_DGRAM)");
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => DatagramInterop.Close((int)handle) == 0;
}
