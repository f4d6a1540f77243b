using LinuxIoMux.AspNetCore;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>The one-line opt-in: <c>builder.WebHost.UseLinuxIoMux(options =&gt; ...)</c>.</summary>
public static class WebHostBuilderLinuxIoMuxExtensions
{
    /// <summary>
    /// Makes Kestrel take its IP connections from the LinuxIoMux transport (one reactor loop per core, each with its own
    /// SO_REUSEPORT listener); Unix-socket and named-pipe endpoints stay on Kestrel's own transports.
    /// </summary>
    /// <param name="builder">The web host builder (<c>WebApplicationBuilder.WebHost</c>).</param>
    /// <param name="configure">Sets backend, loop count, inline or thread-pool application code, pinning.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IWebHostBuilder UseLinuxIoMux(this IWebHostBuilder builder, Action<LinuxIoMuxTransportOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services =>
        {
            // Kestrel tries the factories registered last first (and asks IConnectionListenerFactorySelector.CanBind),
            // so this one takes IP endpoints from the Sockets transport registered by UseKestrel.
            services.AddSingleton<IConnectionListenerFactory, LinuxIoMuxTransportFactory>();
            if (configure is not null)
            {
                services.Configure(configure);
            }
        });
    }
}
