using System.Buffers;
using System.Net;
using LinuxIoMux.AspNetCore.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace LinuxIoMux.AspNetCore;

/// <summary>
/// Kestrel's <see cref="IConnectionListenerFactory"/> for the LinuxIoMux transport: each bound IP endpoint gets its
/// own set of reactor loops (<see cref="LinuxIoMuxTransportOptions.LoopCount"/>), each loop its own SO_REUSEPORT
/// listener, and every connection stays on the loop that accepted it.
/// </summary>
public sealed class LinuxIoMuxTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly LinuxIoMuxTransportOptions _options;
    private readonly IMemoryPoolFactory<byte>? _poolFactory;

    /// <summary>Creates the factory (the DI container does, after <c>UseLinuxIoMux</c>).</summary>
    /// <param name="options">The transport options.</param>
    /// <param name="services">Kestrel's services, for its memory pool factory when it registers one.</param>
    public LinuxIoMuxTransportFactory(IOptions<LinuxIoMuxTransportOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value;
        _poolFactory = services.GetService(typeof(IMemoryPoolFactory<byte>)) as IMemoryPoolFactory<byte>;
        if (!Multiplexer.IsSupported(_options.Backend))
        {
            throw new NotSupportedException($"UseLinuxIoMux: the {_options.Backend} backend is unavailable here (Multiplexer.IsSupported is false)");
        }
    }

    /// <summary>True for IP endpoints (IPv4 and IPv6): the only ones this transport listens on.</summary>
    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    /// <summary>Starts the loops and binds one SO_REUSEPORT listener per loop to <paramref name="endpoint"/>.</summary>
    /// <exception cref="NotSupportedException"><paramref name="endpoint"/> is not an <see cref="IPEndPoint"/>.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">bind(2) or listen(2) failed (EADDRINUSE, EACCES, ...).</exception>
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint ip)
        {
            throw new NotSupportedException($"LinuxIoMux transport: BindAsync({endpoint}): only IP endpoints are supported");
        }

        cancellationToken.ThrowIfCancellationRequested();
        MemoryPool<byte> pool = _poolFactory?.Create(new MemoryPoolOptions { Owner = "LinuxIoMux" }) ?? MemoryPool<byte>.Shared;
        return ValueTask.FromResult<IConnectionListener>(ConnectionListener.Start(ip, _options, pool));
    }
}
