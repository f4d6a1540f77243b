namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// Bounds that keep one client from making the server buffer without limit. Redis's own are larger (512 MiB bulk
/// strings, a 1 GiB query buffer); these fit a sample whose connection buffer is <see cref="MaxRequestBytes"/>. The
/// number of arguments has no limit of its own, as in Redis: the request size bounds it.
/// </summary>
internal static class RespLimits
{
    /// <summary>The largest request (one command with its arguments) a connection buffers: 1 MiB + headers.</summary>
    internal const int MaxRequestBytes = MaxBulkLength + 64 * 1024;

    /// <summary>The longest bulk string accepted ($ length). "$1073741824" is rejected before any byte of it arrives.</summary>
    internal const int MaxBulkLength = 1024 * 1024;

    /// <summary>
    /// The longest inline command line, and how far a "*123" or "$123" line may run without its CR before it is refused:
    /// redis-server's PROTO_INLINE_MAX_SIZE (64 KiB) bounds both, with the same error texts.
    /// </summary>
    internal const int MaxInlineLength = 64 * 1024;
}
