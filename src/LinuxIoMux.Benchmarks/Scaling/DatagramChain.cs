using System.Runtime.InteropServices;
using System.Text;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// <see cref="Chain"/> over n non-blocking AF_UNIX SOCK_DGRAM sockets, each bound to its own abstract address
/// ("\0iomux-bench-PID-i"), written with sendto(2) from one unbound sender socket: n + 1 descriptors, so 16000 watched
/// descriptors fit under a 20000 RLIMIT_NOFILE where 16000 socketpairs (32000) do not. native/scaling's "dgram"
/// transport does the same in C.
/// </summary>
internal sealed unsafe class DatagramChain : Chain
{
    private readonly DatagramSocketHandle[] _receivers;
    private readonly int[] _receiverFds;
    private readonly byte[] _addresses; // n sockaddr_un records, SockaddrUnSize bytes each
    private readonly uint[] _addressLengths;
    private readonly int _chainId = Interlocked.Increment(ref s_chains);
    private DatagramSocketHandle? _sender;

    /// <summary>
    /// Chains made by this process, so each binds names of its own: a socket closed by the previous chain can keep its
    /// abstract name for a moment after close (an io_uring poll request still holds the file until the ring's
    /// cancellation runs), and a new chain reusing the name then failed with EADDRINUSE.
    /// </summary>
    private static int s_chains;

    private DatagramChain(int count)
    {
        _receivers = new DatagramSocketHandle[count];
        _receiverFds = new int[count];
        _addresses = new byte[count * DatagramInterop.SockaddrUnSize];
        _addressLengths = new uint[count];
    }

    /// <inheritdoc/>
    internal override int Count => _receivers.Length;

    /// <inheritdoc/>
    internal override int DescriptorCount => _receivers.Length + 1;

    /// <summary>Opens the sender and <paramref name="count"/> bound receivers; closes them all if one fails.</summary>
    internal static DatagramChain Create(int count)
    {
        var chain = new DatagramChain(count);
        try
        {
            chain._sender = DatagramSocketHandle.Open();
            for (int i = 0; i < count; i++)
            {
                chain._receivers[i] = DatagramSocketHandle.Open();
                chain._receiverFds[i] = chain._receivers[i].Fd;
                chain.Bind(i);
            }

            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    internal override int WatchedFd(int index) => _receiverFds[index];

    /// <inheritdoc/>
    internal override SafeHandle WatchedHandle(int index) => _receivers[index];

    /// <inheritdoc/>
    public override void Dispose()
    {
        foreach (DatagramSocketHandle? handle in _receivers)
        {
            handle?.Dispose();
        }

        _sender?.Dispose();
    }

    /// <inheritdoc/>
    private protected override void ReadOne(int index)
    {
        byte value;
        // SAFETY: one byte on this frame; the fd stays open for the chain's lifetime (closed only in Dispose).
        if (DatagramInterop.Recv(_receiverFds[index], &value, 1, 0) != 1)
        {
            throw new UnixException((Errno)Marshal.GetLastPInvokeError(), $"recv on datagram socket {index}");
        }
    }

    /// <inheritdoc/>
    private protected override void WriteOne(int index)
    {
        byte value = (byte)'e';
        fixed (byte* address = &_addresses[index * DatagramInterop.SockaddrUnSize])
        {
            // SAFETY: the address record is pinned and its length is what Bind computed for it.
            if (DatagramInterop.SendTo(_sender!.Fd, &value, 1, 0, address, _addressLengths[index]) != 1)
            {
                throw new UnixException((Errno)Marshal.GetLastPInvokeError(), $"sendto datagram socket {index}");
            }
        }
    }

    /// <summary>Writes receiver i's abstract sockaddr_un (family, a NUL, the name) and binds the socket to it.</summary>
    private void Bind(int index)
    {
        Span<byte> record = _addresses.AsSpan(index * DatagramInterop.SockaddrUnSize, DatagramInterop.SockaddrUnSize);
        BitConverter.TryWriteBytes(record, (ushort)DatagramInterop.AfUnix);
        record[2] = 0; // abstract namespace: no file on disk, gone when the socket closes
        int nameLength = Encoding.ASCII.GetBytes($"iomux-bench-{Environment.ProcessId}-{_chainId}-{index}", record[3..]);
        _addressLengths[index] = (uint)(3 + nameLength);
        fixed (byte* address = record)
        {
            // SAFETY: the record is pinned and the length stays inside it.
            if (DatagramInterop.Bind(_receiverFds[index], address, _addressLengths[index]) != 0)
            {
                throw new UnixException((Errno)Marshal.GetLastPInvokeError(), $"bind datagram socket {index}");
            }
        }
    }
}
