namespace LinuxIoMux.AspNetCore;

/// <summary>Settings of the LinuxIoMux Kestrel transport (<c>builder.WebHost.UseLinuxIoMux(options =&gt; ...)</c>).</summary>
public sealed class LinuxIoMuxTransportOptions
{
    /// <summary>The readiness backend every loop uses (epoll by default; io_uring where <see cref="Multiplexer.IsSupported"/> says so).</summary>
    public MultiplexerKind Backend { get; set; } = MultiplexerKind.Epoll;

    /// <summary>Number of event loops, each with its own SO_REUSEPORT listener; 0 (the default) means <see cref="Environment.ProcessorCount"/>.</summary>
    public int LoopCount { get; set; }

    /// <summary>Where Kestrel's per-connection code runs: inline on the loop (the default) or on the thread pool.</summary>
    public ApplicationScheduling ApplicationScheduling { get; set; } = ApplicationScheduling.Inline;

    /// <summary>Pins loop i to the i-th CPU the process may run on (sched_setaffinity(2)); off by default.</summary>
    public bool PinLoopsToCpus { get; set; }

    /// <summary>
    /// Bytes received but not yet read by Kestrel at which the loop stops reading the socket (the receive pipe's pause
    /// threshold; it resumes at half). 1 MiB, Kestrel's Sockets transport default; null means no limit.
    /// </summary>
    public long? MaxReadBufferSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Bytes written by Kestrel but not yet sent at which Kestrel's flushes wait (the send pipe's pause threshold; it
    /// resumes at half). 64 KiB, Kestrel's Sockets transport default; null means no limit.
    /// </summary>
    public long? MaxWriteBufferSize { get; set; } = 64 * 1024;

    /// <summary>The listen(2) backlog of each loop's listener (512, as Kestrel's Sockets transport).</summary>
    public int Backlog { get; set; } = 512;

    /// <summary>Sets TCP_NODELAY on accepted connections (on by default, as Kestrel's Sockets transport).</summary>
    public bool NoDelay { get; set; } = true;
}
