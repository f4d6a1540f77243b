namespace LinuxIoMux.Samples.RespServer.Storage;

/// <summary>What an INCR did: redis-server answers each failure with its own error.</summary>
internal enum IncrementOutcome
{
    /// <summary>The value was incremented (or created as 1) and stored.</summary>
    Incremented,

    /// <summary>The stored value is not a canonical 64-bit decimal: "ERR value is not an integer or out of range".</summary>
    NotAnInteger,

    /// <summary>The stored value is <see cref="long.MaxValue"/>: "ERR increment or decrement would overflow".</summary>
    Overflow,
}
