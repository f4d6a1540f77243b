namespace LinuxIoMux.Samples;

/// <summary>What <see cref="ConnectionSweeper"/> needs of a connection, whichever API drives it.</summary>
internal interface ISweptConnection
{
    /// <summary>Stopwatch timestamp since which a partial request has been waiting, or 0.</summary>
    long PartialSince { get; }

    /// <summary>Closes the connection. Idempotent.</summary>
    void Close();

    /// <summary>Closes the connection if its partial request has waited longer than <paramref name="timeout"/>.</summary>
    void CloseIfStalled(long now, TimeSpan timeout);
}
