namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>
/// What the scaling, latency and report commands run: sizes, runs, output and native directories. Built by
/// <see cref="BenchCommandLine"/>; <c>--quick</c> picks the CI-sized defaults, and any explicit option overrides either set.
/// </summary>
internal sealed record BenchOptions
{
    /// <summary>True for the brief CI-sized run.</summary>
    internal bool Quick { get; init; }

    /// <summary>Watched descriptors per scaling cell (libevent's bench.c sizes, capped at 1000 in quick mode).</summary>
    internal IReadOnlyList<int> Sizes { get; init; } = [1, 10, 100, 1000, 4000, 16000];

    /// <summary>Chains started per run: one, then many at once.</summary>
    internal IReadOnlyList<int> Actives { get; init; } = [1, 100];

    /// <summary>Chained writes per run (W).</summary>
    internal int Writes { get; init; } = 1000;

    /// <summary>Timed runs per scaling cell, after one warm-up run.</summary>
    internal int Runs { get; init; } = 25;

    /// <summary>Transports measured: socketpairs always, datagram sockets too unless --no-dgram.</summary>
    internal IReadOnlyList<Scaling.Transport> Transports { get; init; } = [Scaling.Transport.SocketPairs, Scaling.Transport.Datagrams];

    /// <summary>Idle loopback TCP connections held open beside the ping-pong connection.</summary>
    internal IReadOnlyList<int> IdleCounts { get; init; } = [10, 100, 1000, 10000];

    /// <summary>Timed 64-byte round trips per latency cell.</summary>
    internal int RoundTrips { get; init; } = 5000;

    /// <summary>Untimed round trips before the timed ones.</summary>
    internal int WarmupRoundTrips { get; init; } = 500;

    /// <summary>Echo benchmark connection counts, each connection keeping one message in flight.</summary>
    internal IReadOnlyList<int> EchoConnections { get; init; } = [1, 64, 1000];

    /// <summary>Echo warm-up per cell and round, milliseconds (not measured: JIT tiering, TCP windows, pool threads settle).</summary>
    internal int EchoWarmupMilliseconds { get; init; } = 500;

    /// <summary>Echo measured phase per cell and round, milliseconds.</summary>
    internal int EchoMeasureMilliseconds { get; init; } = 1000;

    /// <summary>Rounds over every echo cell, servers taking turns; a cell's rounds are pooled.</summary>
    internal int EchoRounds { get; init; } = 3;

    /// <summary>Where report.md and the PNG charts go.</summary>
    internal string OutputDirectory { get; init; } = Path.Combine("artifacts", "bench");

    /// <summary>Where the native programs are (scaling, echo_server).</summary>
    internal string NativeDirectory { get; init; } = NativeLocator.DefaultDirectory();

    /// <summary>The command line as given, quoted in the report.</summary>
    internal string CommandLine { get; init; } = string.Empty;

    /// <summary>The CI-sized defaults of <c>--quick</c>; explicit options still override them.</summary>
    internal static BenchOptions QuickDefaults(string commandLine) => new()
    {
        CommandLine = commandLine,
        Quick = true,
        Sizes = [1, 10, 100, 1000],
        Runs = 3,
        Writes = 100,
        IdleCounts = [10, 100],
        RoundTrips = 200,
        WarmupRoundTrips = 50,
        EchoWarmupMilliseconds = 100,
        EchoMeasureMilliseconds = 200,
        EchoRounds = 1,
    };
}
