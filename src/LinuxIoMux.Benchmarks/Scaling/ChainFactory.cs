namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>Opens the <see cref="Chain"/> of a transport, and says how many descriptors it will need.</summary>
internal static class ChainFactory
{
    /// <summary>Opens n watched descriptors (and their peers) over <paramref name="transport"/>.</summary>
    internal static Chain Create(Transport transport, int n) => transport switch
    {
        Transport.SocketPairs => SocketPairChain.Create(n),
        _ => DatagramChain.Create(n),
    };

    /// <summary>Descriptors the chain holds: 2n for socketpairs, n + 1 for datagrams.</summary>
    internal static int DescriptorsNeeded(Transport transport, int n) => transport == Transport.SocketPairs ? 2 * n : n + 1;
}
