using LinuxIoMux.Samples;
using LinuxIoMux.Samples.RespServer.Protocol;
using LinuxIoMux.Samples.RespServer.Storage;

// A Redis-protocol server on the LinuxIoMux reactor: enough RESP2 for redis-cli and redis-benchmark.
//   dotnet run -c Release --project samples/RespServer -- --backend epoll|poll|select|io_uring --port 6380
// One loop by default, like redis-server itself, so a comparison with it is one thread against one thread.

const string Description = """
    RespServer: PING, ECHO, SET, GET, DEL, INCR, EXISTS, CONFIG GET and QUIT over RESP2 (inline and multibulk,
    pipelining included), on one in-memory keyspace. Try: redis-benchmark -p 6379 -t set,get -P 16 -q
    """;

ServerOptions? options = ServerOptions.Parse(args, "RespServer", Description, defaultPort: 6379, defaultLoops: 1, out int exitCode);
if (options is null)
{
    return exitCode;
}

var store = new KeyValueStore(); // shared by the loops (under its lock) so every client sees one keyspace
return ServerHost.Run("resp server", options, () => new RespCommandProcessor(store));
