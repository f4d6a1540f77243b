using LinuxIoMux.Samples;
using LinuxIoMux.Samples.HttpPlaintext.Protocol;

// The TechEmpower plaintext test on the LinuxIoMux reactor: GET /plaintext -> "Hello, World!", HTTP/1.1 keep-alive
// and pipelining, enough for wrk.
//   dotnet run -c Release --project samples/HttpPlaintext -- --backend epoll|poll|select --port 8080

const string Usage = """
    HttpPlaintext: GET /plaintext answers "Hello, World!" (HTTP/1.1, keep-alive, pipelining); other paths 404.

    Usage: HttpPlaintext [options]
    """;

int cores = Environment.ProcessorCount;
ServerOptions? options = ServerOptions.Parse(args, "HttpPlaintext", Usage + ServerOptions.Help(8080, cores), 8080, cores, out int exitCode);
if (options is null)
{
    return exitCode;
}

return ServerHost.Run("http plaintext", options, () => new HttpConnectionProcessor(new HttpDate()));
