// A minimal Kestrel app serving GET /plaintext -> "Hello, World!" and GET /json, the peer HttpPlaintext is measured
// against:
//   dotnet samples/KestrelPlaintext/bin/Release/net10.0/KestrelPlaintext.dll --urls http://127.0.0.1:8081
using LinuxIoMux.Samples.KestrelPlaintext;

if (args.Any(arg => arg is "--help" or "-h" or "-?"))
{
    Console.WriteLine("""
        Description:
          KestrelPlaintext: ASP.NET Core's Kestrel serving GET /plaintext -> "Hello, World!" (text/plain) and GET /json
          -> {"message":"Hello, World!"}, the peer that samples/HttpPlaintext is compared with by ./build.sh compare.
          No logging on the request path. Also POST /digest, GET /bytes/{count} and GET /abort (for the transport tests).

        Usage:
          KestrelPlaintext [--urls <url>] [other ASP.NET Core configuration arguments]

        Options:
          --urls <url>    Where to listen, e.g. http://127.0.0.1:8081 (ASP.NET Core's default: http://localhost:5000)
          -?, -h, --help  Show help and usage information
        """);
    return 0;
}

var app = KestrelApp.Build(args);
app.Run();
return 0;
