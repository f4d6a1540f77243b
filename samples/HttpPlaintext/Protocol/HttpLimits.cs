namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>Bounds on what one client can make the server buffer.</summary>
internal static class HttpLimits
{
    /// <summary>Request line plus headers (Kestrel's default is 32 KiB, nginx's 1 KiB + 4 x 8 KiB).</summary>
    internal const int MaxHeaderBytes = 16 * 1024;

    /// <summary>The largest request body accepted (and discarded): the plaintext test sends none.</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    /// <summary>The connection buffer a request must fit in.</summary>
    internal const int MaxRequestBytes = MaxHeaderBytes + MaxBodyBytes;
}
