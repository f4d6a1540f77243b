using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;

namespace LinuxIoMux.Samples;

/// <summary>The command line every sample server shares (System.CommandLine): backend, address, port, loops, timeout.</summary>
/// <param name="Backend">The multiplexer each loop waits with.</param>
/// <param name="Endpoint">Where to listen.</param>
/// <param name="Loops">Reactor threads, each with its own SO_REUSEPORT listener.</param>
/// <param name="RequestTimeout">How long a request may stay incomplete before the connection is closed.</param>
/// <param name="AcceptMode">SO_REUSEPORT listener per loop, or one shared EPOLLEXCLUSIVE listener.</param>
/// <param name="PinThreads">Pin loop i to the i-th allowed CPU.</param>
/// <param name="Api">Callbacks on readiness, or async handlers over <see cref="ReactorSocket"/>.</param>
internal sealed record ServerOptions(MultiplexerKind Backend, IPEndPoint Endpoint, int Loops, TimeSpan RequestTimeout,
    AcceptMode AcceptMode = AcceptMode.ReusePort, bool PinThreads = false, ServerApi Api = ServerApi.Callback)
{
    private const double DefaultRequestTimeoutSeconds = 10;

    /// <summary>
    /// Parses <paramref name="args"/>; prints <c>--help</c> or the errors itself.
    /// </summary>
    /// <param name="args">The process arguments.</param>
    /// <param name="name">The program name, used in error lines.</param>
    /// <param name="description">What the server does, for <c>--help</c>.</param>
    /// <param name="defaultPort">The port when <c>--port</c> is absent.</param>
    /// <param name="defaultLoops">The loop count when <c>--loops</c> is absent.</param>
    /// <param name="exitCode">0 after --help, 2 after bad arguments (the options are null then).</param>
    internal static ServerOptions? Parse(string[] args, string name, string description, int defaultPort, int defaultLoops, out int exitCode)
    {
        var backend = new Option<MultiplexerKind>("--backend")
        {
            Description = "the multiplexer each loop waits with: epoll, poll, select or io_uring; select only handles "
                + "descriptors below 1024 (connections beyond that are refused with a message); io_uring needs Linux 5.11 "
                + "and a container profile that allows it (the server says so and exits 1 otherwise)",
            DefaultValueFactory = _ => MultiplexerKind.Epoll,
            CustomParser = result => Parsed(result, TryParseBackend(Single(result), out MultiplexerKind kind), kind, "epoll, poll, select or io_uring"),
        };
        var address = new Option<IPAddress>("--address")
        {
            Description = "address to listen on",
            DefaultValueFactory = _ => IPAddress.Loopback,
            CustomParser = result => Parsed(result, IPAddress.TryParse(Single(result), out IPAddress? ip), ip, "an IP address"),
        };
        var port = new Option<int>("--port")
        {
            Description = "TCP port; 0 picks a free one, printed at start",
            DefaultValueFactory = _ => defaultPort,
            CustomParser = result => Parsed(result, int.TryParse(Single(result), out int p) && p is >= 0 and <= 65535, p, "a port from 0 to 65535"),
        };
        var loops = new Option<int>("--loops")
        {
            Description = "reactor threads, one SO_REUSEPORT listener each",
            DefaultValueFactory = _ => defaultLoops,
            CustomParser = result => Parsed(result, int.TryParse(Single(result), out int n) && n >= 1, n, "a loop count of 1 or more"),
        };
        var timeout = new Option<double>("--request-timeout")
        {
            Description = "seconds a request may stay incomplete before its connection is closed",
            DefaultValueFactory = _ => DefaultRequestTimeoutSeconds,
            CustomParser = result => Parsed(result, double.TryParse(Single(result), out double s) && s is > 0 and <= 86_400, s, "seconds from 0 to 86400"),
        };

        var accept = new Option<AcceptMode>("--accept")
        {
            Description = "ReusePort: a listener per loop (SO_REUSEPORT); Exclusive: one listener every loop registers "
                + "with EPOLLEXCLUSIVE (epoll only)",
            DefaultValueFactory = _ => AcceptMode.ReusePort,
        };
        var pin = new Option<bool>("--pin")
        {
            Description = "pin loop i to the i-th CPU this process may use (sched_setaffinity)",
        };

        var api = new Option<ServerApi>("--api")
        {
            Description = "callback: the connection reacts to readiness callbacks (the default); async: one async handler "
                + "per connection awaits ReactorSocket.ReceiveAsync/SendAsync on its loop. Same protocol code either way",
            DefaultValueFactory = _ => ServerApi.Callback,
        };

        var root = new RootCommand(description + "\n\nStops cleanly on Ctrl+C or SIGTERM (exit 0). Bad arguments exit 2.")
        {
            backend, address, port, loops, timeout, accept, pin, api,
        };
        ServerOptions? options = null;
        root.SetAction(result => options = new ServerOptions(
            result.GetValue(backend),
            new IPEndPoint(result.GetValue(address)!, result.GetValue(port)),
            result.GetValue(loops),
            TimeSpan.FromSeconds(result.GetValue(timeout)),
            result.GetValue(accept),
            result.GetValue(pin),
            result.GetValue(api)));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine($"{name}: {error.Message}");
            }

            Console.Error.WriteLine($"Try {name} --help.");
            exitCode = 2;
            return null;
        }

        exitCode = parsed.Invoke(); // builds the options above, or prints --help / --version
        return options;
    }

    /// <summary>The enum's names in any case, plus io_uring, the kernel's own spelling.</summary>
    internal static bool TryParseBackend(string text, out MultiplexerKind kind)
    {
        if (string.Equals(text, "io_uring", StringComparison.OrdinalIgnoreCase))
        {
            kind = MultiplexerKind.IoUring;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;

    private static T Parsed<T>(ArgumentResult result, bool valid, T value, string expected)
    {
        if (!valid)
        {
            result.AddError($"{((OptionResult)result.Parent!).Option.Name}: '{Single(result)}' is not {expected}");
        }

        return value;
    }
}
