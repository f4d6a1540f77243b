// A minimal Kestrel app serving GET /plaintext -> "Hello, World!" and GET /json, the peer HttpPlaintext is measured
// against, on Kestrel's Sockets transport or on the LinuxIoMux transport:
//   dotnet samples/KestrelPlaintext/bin/Release/net10.0/KestrelPlaintext.dll --urls http://127.0.0.1:8081 --transport linuxiomux
using LinuxIoMux.Samples.KestrelPlaintext;

if (args.Any(arg => arg is "--help" or "-h" or "-?"))
{
    Console.WriteLine("""
        Description:
          KestrelPlaintext: ASP.NET Core's Kestrel serving GET /plaintext -> "Hello, World!" (text/plain) and GET /json
          -> {"message":"Hello, World!"}, the peer that samples/HttpPlaintext is compared with by ./build.sh compare.
          No logging on the request path. Also POST /digest, GET /bytes/{count} and GET /abort (for the transport tests).

        Usage:
          KestrelPlaintext [--urls <url>] [--transport linuxiomux|sockets] [--backend <kind>] [--loops <n>] [--mode <mode>]
                           [other ASP.NET Core configuration arguments]

        Options:
          --urls <url>           Where to listen, e.g. http://127.0.0.1:8081 (ASP.NET Core's default: http://localhost:5000)
          --transport <name>     sockets (Kestrel's own, the default) or linuxiomux (builder.WebHost.UseLinuxIoMux)
          --backend <kind>       linuxiomux only: epoll (default), poll, select or io_uring
          --loops <n>            linuxiomux only: event loops, one SO_REUSEPORT listener each (default 0: one per core)
          --mode <mode>          linuxiomux only: inline (Kestrel's code on the loops, the default) or threadpool
          -?, -h, --help         Show help and usage information
        """);
    return 0;
}

var arguments = args.ToList();
TransportChoice choice;
try
{
    choice = TransportChoice.Parse(arguments);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"KestrelPlaintext: {e.Message}");
    return 2;
}

var app = KestrelApp.Build([.. arguments], choice.Apply);
// KESTREL_SAMPLE_ALLOCATIONS=1: once a second, the bytes this process allocated so far and its CPU time, on stderr, so
// that a profiling run can take allocations and CPU per request (diff two lines across a wrk run, divide by requests).
Timer? allocationReport = null;
if (Environment.GetEnvironmentVariable("KESTREL_SAMPLE_ALLOCATIONS") == "1")
{
    allocationReport = new Timer(static _ => Console.Error.WriteLine(
        $"allocated {GC.GetTotalAllocatedBytes(precise: true)} cpu_ms {(long)Environment.CpuUsage.TotalTime.TotalMilliseconds} gen0 {GC.CollectionCount(0)}"),
        null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
}

app.Run();
allocationReport?.Dispose();
return 0;
