namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>What one parse attempt found at the start of the input.</summary>
internal enum HttpParseStatus
{
    /// <summary>A whole request (headers and body).</summary>
    Complete,

    /// <summary>A valid start: wait for more bytes.</summary>
    Incomplete,

    /// <summary>Malformed or beyond a limit: answer with the status in the error and close.</summary>
    Invalid,
}
