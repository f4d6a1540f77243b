using System.Net;
using System.Security.Cryptography.X509Certificates;
using LinuxIoMux.AspNetCore;
using LinuxIoMux.Samples.KestrelPlaintext;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>
/// The KestrelPlaintext sample's app hosted in-process on 127.0.0.1 (a free port) over one transport, optionally with
/// HTTPS; <c>map</c> adds test-only endpoints before it starts, <c>listen</c> configures the listener (connection middleware).
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    /// <summary>A hang guard for starting and stopping, not a timing: a broken transport fails the test instead of hanging the run.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);

    private readonly WebApplication _app;
    private bool _stopped;

    private KestrelHost(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public static async Task<KestrelHost> StartAsync(KestrelTransport transport, X509Certificate2? certificate = null, Action<WebApplication>? map = null,
        Action<ListenOptions>? listen = null)
    {
        if (transport == KestrelTransport.IoUringInline)
        {
            Skip.IfNot(Multiplexer.IsSupported(MultiplexerKind.IoUring), "io_uring is unavailable here");
        }

        WebApplication app = KestrelApp.Build([], builder =>
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options =>
            {
                listen?.Invoke(options);
                if (certificate is not null)
                {
                    options.UseHttps(certificate);
                }
            }));
            if (transport != KestrelTransport.Sockets)
            {
                builder.WebHost.UseLinuxIoMux(options =>
                {
                    options.Backend = Backend(transport);
                    options.LoopCount = 2;
                    options.ApplicationScheduling = transport == KestrelTransport.EpollThreadPool
                        ? ApplicationScheduling.ThreadPool
                        : ApplicationScheduling.Inline;
                });
            }
        });
        map?.Invoke(app);
        await app.StartAsync().WaitAsync(Hang);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelHost(app, new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
    }

    /// <summary>
    /// Kestrel's graceful shutdown: stop accepting, close idle connections, wait for requests in flight; once
    /// <paramref name="gracePeriodOver"/> fires, Kestrel aborts the connections still open.
    /// </summary>
    public async Task StopAsync(CancellationToken gracePeriodOver = default)
    {
        _stopped = true;
        await _app.StopAsync(gracePeriodOver).WaitAsync(Hang);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _app.StopAsync().WaitAsync(Hang);
        }

        await _app.DisposeAsync().AsTask().WaitAsync(Hang);
    }

    private static MultiplexerKind Backend(KestrelTransport transport) => transport switch
    {
        KestrelTransport.PollInline => MultiplexerKind.Poll,
        KestrelTransport.SelectInline => MultiplexerKind.Select,
        KestrelTransport.IoUringInline => MultiplexerKind.IoUring,
        _ => MultiplexerKind.Epoll,
    };
}
