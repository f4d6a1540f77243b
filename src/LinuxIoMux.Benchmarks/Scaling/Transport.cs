namespace LinuxIoMux.Benchmarks.Scaling;

/// <summary>What the chained 1-byte writes travel over in the scaling benchmark.</summary>
internal enum Transport
{
    /// <summary>n AF_UNIX SOCK_STREAM socketpairs (2n descriptors): libevent bench.c's own setup.</summary>
    SocketPairs,

    /// <summary>
    /// n AF_UNIX SOCK_DGRAM sockets bound to abstract addresses plus one unbound sender (n + 1 descriptors), so
    /// twice as many watched descriptors fit under the same RLIMIT_NOFILE.
    /// </summary>
    Datagrams,
}
