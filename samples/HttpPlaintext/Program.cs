using LinuxIoMux.Samples;
using LinuxIoMux.Samples.HttpPlaintext.Protocol;

// The TechEmpower plaintext test on the LinuxIoMux reactor: GET /plaintext -> "Hello, World!", HTTP/1.1 keep-alive
// and pipelining, enough for wrk.
//   dotnet run -c Release --project samples/HttpPlaintext -- --backend epoll|poll|select|io_uring --port 8080

const string Description = """
    HttpPlaintext: GET /plaintext answers "Hello, World!" (HTTP/1.1, keep-alive, pipelining); other paths 404.
    Try: wrk -t1 -c64 -d10s http://127.0.0.1:8080/plaintext
    """;

ServerOptions? options = ServerOptions.Parse(args, "HttpPlaintext", Description, defaultPort: 8080, defaultLoops: Environment.ProcessorCount, out int exitCode);
if (options is null)
{
    return exitCode;
}

return ServerHost.Run("http plaintext", options, () => new HttpConnectionProcessor(new HttpDate()));
