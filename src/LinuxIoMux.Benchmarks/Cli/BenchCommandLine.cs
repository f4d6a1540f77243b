using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>
/// The suite's command line (System.CommandLine): <c>report</c>, <c>scaling</c> and <c>latency</c> with their shared
/// options. Bad arguments print the errors and exit 2; <c>--help</c> lists every option.
/// </summary>
internal static class BenchCommandLine
{
    /// <summary>The command words this parser owns; anything else goes to BenchmarkDotNet's switcher.</summary>
    internal static bool Owns(string first) =>
        first is "report" or "scaling" or "latency" or "echo" or Compare.CompareChartCommand.Name or "help" or "--help" or "-h" or "-?";

    /// <summary>Parses and runs; returns the exit code.</summary>
    internal static int Run(string[] args)
    {
        var quick = new Option<bool>("--quick") { Description = "every benchmark briefly (n <= 1000, 3 runs): the CI smoke check" };
        var output = new Option<string>("--out") { Description = "where report.md and the PNG charts go [default: artifacts/bench]" };
        var native = new Option<string>("--native") { Description = "where native/scaling and native/echo_server were built [default: artifacts/native]" };
        var sizes = PositiveList("--sizes", "watched descriptors per scaling cell [default: 1,10,100,1000,4000,16000]");
        var runs = Positive("--runs", "timed runs per scaling cell, after one warm-up [default: 25]");
        var writes = Positive("--writes", "chained 1-byte writes per run, W [default: 1000]");
        var idle = PositiveList("--idle", "idle loopback connections per latency cell [default: 10,100,1000,10000]");
        var roundTrips = Positive("--round-trips", "timed 64-byte round trips per latency cell [default: 5000]");
        var connections = PositiveList("--connections", "echo benchmark connections per cell [default: 1,64,1000]");
        var echoMilliseconds = Positive("--echo-ms", "measured milliseconds per echo cell and round, after half as long of warm-up [default: 1000]");
        var echoRounds = Positive("--echo-rounds", "rounds over every echo cell, servers taking turns, pooled per cell [default: 3]");
        var noDatagrams = new Option<bool>("--no-dgram") { Description = "socketpairs only: skip the n + 1 descriptor datagram transport" };

        var root = new RootCommand("""
            The LinuxIoMux benchmark suite behind ./build.sh bench. Progress goes to stderr, the markdown report to stdout
            and to OUT/report.md, beside PNG charts. Any other first argument goes to BenchmarkDotNet, e.g.
            --filter '*Wrapper*' --job short.
            """);
        foreach ((string name, string description) in new[]
        {
            ("report", "scaling, latency and echo, one report"),
            ("scaling", "select vs poll vs epoll, bare and through the reactor, beside the same loop in C (libevent's bench.c method)"),
            ("latency", "ping-pong round trips beside N idle loopback connections, reactor on each backend and a C epoll server"),
            ("echo", "echo round trips, throughput and allocations at N busy connections: callback reactor, async reactor, Socket async, C"),
        })
        {
            var command = new Command(name, description) { quick, output, native, sizes, runs, writes, idle, roundTrips, connections, echoMilliseconds, echoRounds, noDatagrams };
            command.SetAction(result =>
            {
                string commandLine = Environment.GetEnvironmentVariable("LINUXIOMUX_BENCH_COMMAND")
                    ?? $"dotnet LinuxIoMux.Benchmarks.dll {string.Join(' ', args)}";
                BenchOptions options = result.GetValue(quick) ? BenchOptions.QuickDefaults(commandLine) : new BenchOptions { CommandLine = commandLine };
                options = options with
                {
                    OutputDirectory = result.GetValue(output) ?? options.OutputDirectory,
                    NativeDirectory = result.GetValue(native) ?? options.NativeDirectory,
                    Sizes = OrDefault(result.GetValue(sizes), options.Sizes),
                    Runs = result.GetValue(runs) ?? options.Runs,
                    Writes = result.GetValue(writes) ?? options.Writes,
                    IdleCounts = OrDefault(result.GetValue(idle), options.IdleCounts),
                    RoundTrips = result.GetValue(roundTrips) ?? options.RoundTrips,
                    EchoConnections = OrDefault(result.GetValue(connections), options.EchoConnections),
                    EchoMeasureMilliseconds = result.GetValue(echoMilliseconds) ?? options.EchoMeasureMilliseconds,
                    EchoWarmupMilliseconds = result.GetValue(echoMilliseconds) is { } ms ? Math.Max(1, ms / 2) : options.EchoWarmupMilliseconds,
                    EchoRounds = result.GetValue(echoRounds) ?? options.EchoRounds,
                    Transports = result.GetValue(noDatagrams) ? [Scaling.Transport.SocketPairs] : options.Transports,
                };
                return SuiteCommand.Run(name, options);
            });
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(Compare.CompareChartCommand.Create());

        ParseResult parsed = root.Parse(args is ["help"] ? ["--help"] : args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine($"LinuxIoMux.Benchmarks: {error.Message}");
            }

            Console.Error.WriteLine("Try --help.");
            return 2;
        }

        return parsed.Invoke();
    }

    /// <summary>An absent list option reads as empty (System.CommandLine's default for collections), not null.</summary>
    private static IReadOnlyList<int> OrDefault(int[]? given, IReadOnlyList<int> fallback) =>
        given is { Length: > 0 } ? given : fallback;

    private static Option<int?> Positive(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ParsePositive(result, result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty),
    };

    private static Option<int[]?> PositiveList(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "N[,N...]",
        CustomParser = result =>
        {
            string list = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            int?[] values = [.. list.Split(',').Select(part => ParsePositive(result, part))];
            return values.All(value => value is not null) ? [.. values.Select(value => value!.Value)] : null;
        },
    };

    private static int? ParsePositive(ArgumentResult result, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0)
        {
            return value;
        }

        result.AddError($"{((OptionResult)result.Parent!).Option.Name}: '{text}' is not a positive integer");
        return null;
    }
}
