using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using EchoServer;
using LinuxIoMux;

// A TCP echo server: one reactor per core (ReactorGroup), each with its own SO_REUSEPORT listener on the port.
//   dotnet run --project samples/EchoServer -- --backend epoll|poll|select --port 7000 [--loops N]
// Stops cleanly on Ctrl+C (SIGINT) or SIGTERM: loops stopped, connections and listeners closed, exit code 0.

const string Usage = """
    Usage: EchoServer [--backend epoll|poll|select] [--port N] [--loops N] [--help]

      --backend   the multiplexer each loop waits with (default: epoll).
                  select only handles descriptors below 1024: connections beyond that are refused with a message.
      --port      TCP port to listen on, all addresses (default: 7000; 0 picks a free one).
      --loops     reactor threads, each with its own SO_REUSEPORT listener (default: processor count).
      --help      this text.

    Try it: printf 'hello\n' | nc -q1 127.0.0.1 7000
    """;

MultiplexerKind backend = MultiplexerKind.Epoll;
int port = 7000;
int loops = Environment.ProcessorCount;
for (int i = 0; i < args.Length; i++)
{
    string option = args[i];
    if (option is "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return 0;
    }

    if (i + 1 >= args.Length)
    {
        return Fail($"{option} needs a value.");
    }

    string value = args[++i];
    switch (option)
    {
        case "--backend":
            if (!Enum.TryParse(value, ignoreCase: true, out backend) || !Enum.IsDefined(backend))
            {
                return Fail($"unknown backend '{value}': expected epoll, poll or select.");
            }

            break;
        case "--port":
            if (!int.TryParse(value, out port) || port is < 0 or > 65535)
            {
                return Fail($"invalid port '{value}'.");
            }

            break;
        case "--loops":
            if (!int.TryParse(value, out loops) || loops < 1)
            {
                return Fail($"invalid loop count '{value}'.");
            }

            break;
        default:
            return Fail($"unknown option '{option}'.");
    }
}

var connections = new ConcurrentDictionary<EchoConnection, byte>();
ReactorGroup group;
try
{
    group = new ReactorGroup(backend, new IPEndPoint(IPAddress.Any, port), (reactor, socket) =>
    {
        var connection = new EchoConnection(socket, closed => connections.TryRemove(closed, out _));
        connections.TryAdd(connection, 0);
        try
        {
            connection.Registration = reactor.Register(socket, Interest.Readable, EchoConnection.Handler, connection);
        }
        catch
        {
            connections.TryRemove(connection, out _);
            throw; // the Acceptor closes the socket; the group reports the exception (e.g. select's fd >= 1024 limit)
        }
    }, loops);
}
catch (SocketException e)
{
    Console.Error.WriteLine($"EchoServer: cannot listen on port {port}: {e.Message}");
    return 1;
}

using var ownedGroup = group;
group.UnhandledException += (_, e) => Console.Error.WriteLine($"echo server: {((Exception)e.ExceptionObject).Message}");

using var stop = new ManualResetEventSlim();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true; // we shut down ourselves, after the loops have stopped
    stop.Set();
}

using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

group.Start();
Console.WriteLine($"echo server: {backend.ToString().ToLowerInvariant()}, {loops} loop(s), listening on {group.LocalEndPoint} (Ctrl+C to stop)");
stop.Wait();

Console.WriteLine("echo server: stopping");
group.Stop(); // every loop has returned: registrations may now be disposed from this thread
int open = 0;
foreach (EchoConnection connection in connections.Keys)
{
    connection.Close();
    open++;
}

long accepted = 0;
foreach (Acceptor? acceptor in group.Acceptors)
{
    accepted += acceptor?.AcceptedCount ?? 0;
}

Console.WriteLine($"echo server: stopped ({accepted} connection(s) accepted, {open} closed at shutdown)");
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine($"EchoServer: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
