namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>What one parse attempt found at the start of the input.</summary>
internal enum ParseStatus
{
    /// <summary>A whole command: its arguments are set and its bytes may be consumed.</summary>
    Complete,

    /// <summary>The start of a valid command: wait for more bytes.</summary>
    Incomplete,

    /// <summary>Not RESP, or beyond a limit: reply with the error and close the connection.</summary>
    Invalid,
}
