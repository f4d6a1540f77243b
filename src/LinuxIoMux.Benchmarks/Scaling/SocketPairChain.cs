using System.Runtime.InteropServices;

namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>
/// <see cref="Chain"/> over n non-blocking Unix socketpairs (<see cref="SocketPair.Create"/>): the first end of each
/// is watched and read, the second is written. 2n descriptors.
/// </summary>
internal sealed class SocketPairChain : Chain
{
    private readonly FileDescriptorHandle[] _readers;
    private readonly FileDescriptorHandle[] _writers;
    private readonly int[] _readerFds;
    private readonly byte[] _byte = new byte[1];

    private SocketPairChain(int count)
    {
        _readers = new FileDescriptorHandle[count];
        _writers = new FileDescriptorHandle[count];
        _readerFds = new int[count];
    }

    /// <inheritdoc/>
    internal override int Count => _readers.Length;

    /// <inheritdoc/>
    internal override int DescriptorCount => 2 * _readers.Length;

    /// <summary>Opens <paramref name="count"/> socketpairs; closes what it opened if one fails (EMFILE).</summary>
    internal static SocketPairChain Create(int count)
    {
        var chain = new SocketPairChain(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                (chain._readers[i], chain._writers[i]) = SocketPair.Create();
                chain._readerFds[i] = chain._readers[i].Fd;
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
    internal override int WatchedFd(int index) => _readerFds[index];

    /// <inheritdoc/>
    internal override SafeHandle WatchedHandle(int index) => _readers[index];

    /// <inheritdoc/>
    public override void Dispose()
    {
        foreach (FileDescriptorHandle? handle in _readers)
        {
            handle?.Dispose();
        }

        foreach (FileDescriptorHandle? handle in _writers)
        {
            handle?.Dispose();
        }
    }

    /// <inheritdoc/>
    private protected override void ReadOne(int index)
    {
        if (_readers[index].Read(_byte) != 1)
        {
            throw new InvalidOperationException($"socketpair {index} was reported readable but held no byte.");
        }
    }

    /// <inheritdoc/>
    private protected override void WriteOne(int index)
    {
        if (_writers[index].Write(_byte) != 1)
        {
            throw new InvalidOperationException($"socketpair {index} refused a 1-byte write.");
        }
    }
}
