using System.Runtime.InteropServices;

namespace LinuxIoMux;

/// <summary>
/// One entry of the caller-owned buffer that <see cref="IMultiplexer.Wait"/> fills: the token given at
/// registration and the <see cref="Readiness"/> the wait reported.
/// </summary>
/// <remarks>
/// 16 bytes, readiness at offset 0 and token at 8, the same shape as <see cref="EpollEvent"/> (events at 0, data at
/// 8). That lets <see cref="EpollMultiplexer"/> hand the caller's own buffer to epoll_wait and convert each record in
/// place: no second buffer and no copy between the kernel and the caller.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public readonly struct ReadyEvent
{
    [FieldOffset(0)]
    private readonly Readiness _readiness;

    [FieldOffset(8)]
    private readonly ulong _token;

    /// <summary>Creates an entry.</summary>
    public ReadyEvent(ulong token, Readiness readiness)
    {
        _token = token;
        _readiness = readiness;
    }

    /// <summary>The token the descriptor was registered (or last modified) with.</summary>
    public ulong Token => _token;

    /// <summary>What the wait reported.</summary>
    public Readiness Readiness => _readiness;

    /// <inheritdoc/>
    public override string ToString() => $"token=0x{_token:x} {_readiness}";
}
