namespace LinuxIoMux.Samples;

/// <summary>How a sample server drives its connections (<c>--api</c>); the protocol code is the same for both.</summary>
internal enum ServerApi
{
    /// <summary><see cref="ProtocolConnection"/>: a readiness callback per event (DESIGN.md layer 2).</summary>
    Callback,

    /// <summary><see cref="AsyncProtocolConnection"/>: an async handler per connection on a <see cref="ReactorSocket"/> (layer 3).</summary>
    Async,
}
