namespace LinuxIoMux.Samples.KestrelPlaintext;

/// <summary>Builds the sample's web application: slim builder, no logging, the endpoints of <see cref="KestrelEndpoints"/>.</summary>
public static class KestrelApp
{
    /// <summary>
    /// The application the sample runs; <paramref name="configure"/> picks the transport and where to listen (the tests
    /// build the same application in-process, on each transport, through it).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        // No logging on the request path, so a comparison is of the servers, not of console output.
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        var app = builder.Build();
        KestrelEndpoints.Map(app);
        return app;
    }
}
