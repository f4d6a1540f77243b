namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// Bounds that keep one client from making the server buffer without limit. Redis's own are larger (512 MiB bulk
/// strings, 1M arguments); these fit a sample whose connection buffer is <see cref="MaxRequestBytes"/>.
/// </summary>
internal static class RespLimits
{
    /// <summary>The largest request (one command with its arguments) a connection buffers: 1 MiB + headers.</summary>
    internal const int MaxRequestBytes = MaxBulkLength + 64 * 1024;

    /// <summary>The longest bulk string accepted ($ length). "$1073741824" is rejected before any byte of it arrives.</summary>
    internal const int MaxBulkLength = 1024 * 1024;

    /// <summary>The most arguments in one multibulk request (*count).</summary>
    internal const int MaxArguments = 1024;

    /// <summary>The longest inline command line (Redis uses 64 KiB too).</summary>
    internal const int MaxInlineLength = 64 * 1024;

    /// <summary>The longest "*123\r\n" or "$123\r\n" header line: a longer one is garbage, not a number.</summary>
    internal const int MaxHeaderLineLength = 32;
}
