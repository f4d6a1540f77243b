using System.Net;

namespace LinuxIoMux.Samples;

/// <summary>The command line every sample server shares: backend, address, port, loops, request timeout.</summary>
/// <param name="Backend">The multiplexer each loop waits with.</param>
/// <param name="Endpoint">Where to listen.</param>
/// <param name="Loops">Reactor threads, each with its own SO_REUSEPORT listener.</param>
/// <param name="RequestTimeout">How long a request may stay incomplete before the connection is closed.</param>
internal sealed record ServerOptions(MultiplexerKind Backend, IPEndPoint Endpoint, int Loops, TimeSpan RequestTimeout)
{
    private const double DefaultRequestTimeoutSeconds = 10;

    /// <summary>The options text for --help, after the sample's own first lines.</summary>
    internal static string Help(int defaultPort, int defaultLoops) => $"""
          --backend epoll|poll|select  the multiplexer each loop waits with (default: epoll). select only handles
                                       descriptors below 1024: connections beyond that are refused with a message.
          --address IP                 address to listen on (default: 127.0.0.1).
          --port N                     TCP port (default: {defaultPort}; 0 picks a free one, printed at start).
          --loops N                    reactor threads, one SO_REUSEPORT listener each (default: {defaultLoops}).
          --request-timeout SECONDS    close a connection whose request stays incomplete this long (default: {DefaultRequestTimeoutSeconds}).
          --help                       this text.
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The options, or null with <paramref name="exitCode"/> set: 0 after --help, 2 after a bad argument
    /// (the message is on stderr).</returns>
    internal static ServerOptions? Parse(string[] args, string name, string usage, int defaultPort, int defaultLoops, out int exitCode)
    {
        var backend = MultiplexerKind.Epoll;
        IPAddress address = IPAddress.Loopback;
        int port = defaultPort;
        int loops = defaultLoops;
        double timeoutSeconds = DefaultRequestTimeoutSeconds;
        exitCode = 0;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (option is "--help" or "-h")
            {
                Console.WriteLine(usage);
                return null;
            }

            if (i + 1 >= args.Length)
            {
                return Fail($"{option} needs a value.", out exitCode);
            }

            string value = args[++i];
            bool valid = option switch
            {
                "--backend" => Enum.TryParse(value, ignoreCase: true, out backend) && Enum.IsDefined(backend) && !int.TryParse(value, out _),
                "--address" => IPAddress.TryParse(value, out address!),
                "--port" => int.TryParse(value, out port) && port is >= 0 and <= 65535,
                "--loops" => int.TryParse(value, out loops) && loops >= 1,
                "--request-timeout" => double.TryParse(value, out timeoutSeconds) && timeoutSeconds is > 0 and <= 86_400,
                _ => false,
            };
            if (!valid)
            {
                string problem = option is "--backend" or "--address" or "--port" or "--loops" or "--request-timeout"
                    ? $"invalid {option} '{value}'"
                    : $"unknown option '{option}'";
                return Fail($"{problem} (try {name} --help).", out exitCode);
            }
        }

        return new ServerOptions(backend, new IPEndPoint(address, port), loops, TimeSpan.FromSeconds(timeoutSeconds));

        ServerOptions? Fail(string message, out int code)
        {
            Console.Error.WriteLine($"{name}: {message}");
            code = 2;
            return null;
        }
    }
}
