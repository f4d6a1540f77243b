using LinuxIoMux.Samples;
using LinuxIoMux.Samples.EchoServer;

// A TCP echo server: one reactor per core (ReactorGroup), each with its own SO_REUSEPORT listener on the port.
//   dotnet run -c Release --project samples/EchoServer -- --backend epoll|poll|select|io_uring --port 7000 [--loops N]
// Stops cleanly on Ctrl+C (SIGINT) or SIGTERM: loops stopped, connections and listeners closed, exit code 0.

const string Description = """
    EchoServer: writes back every byte it receives. A client that sends without reading is held back (the
    connection stops reading once 256 KiB of echo are queued), not buffered. Try: printf 'hello\n' | nc -q1 127.0.0.1 7000
    """;

ServerOptions? options = ServerOptions.Parse(args, "EchoServer", Description, defaultPort: 7000, defaultLoops: Environment.ProcessorCount, out int exitCode);
if (options is null)
{
    return exitCode;
}

return ServerHost.Run("echo server", options, () => new EchoProcessor());
