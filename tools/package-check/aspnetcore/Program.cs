// The install-and-run check of ./build.sh pack for LinuxIoMux.AspNetCore: a minimal ASP.NET Core app built against the
// package from the local feed (artifacts/packages), serving one request on the LinuxIoMux transport.
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using LinuxIoMux;
using LinuxIoMux.AspNetCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

[assembly: SupportedOSPlatform("linux")]

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseLinuxIoMux(options =>
{
    options.Backend = MultiplexerKind.Epoll;
    options.LoopCount = 1;
    options.ApplicationScheduling = ApplicationScheduling.Inline;
});
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
var app = builder.Build();
app.MapGet("/plaintext", () => "Hello, World!");
await app.StartAsync();

string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
bool reactorThread = Directory.GetDirectories("/proc/self/task")
    .Any(task => File.ReadAllText(Path.Combine(task, "comm")).StartsWith("kestrel-reactor", StringComparison.Ordinal));
using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
client.Connect(new IPEndPoint(IPAddress.Loopback, new Uri(address).Port));
client.Send("GET /plaintext HTTP/1.1\r\nHost: check\r\nConnection: close\r\n\r\n"u8);
var response = new StringBuilder();
byte[] buffer = new byte[4096];
int n;
while ((n = client.Receive(buffer)) > 0)
{
    response.Append(Encoding.ASCII.GetString(buffer, 0, n));
}

await app.StopAsync();
bool ok = reactorThread && response.ToString().StartsWith("HTTP/1.1 200 OK", StringComparison.Ordinal) && response.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && response.ToString().Contains("Hello, World!", StringComparison.Ordinal);
Console.WriteLine($"package check (aspnetcore): {address} answered {response.Length} bytes on kestrel-reactor loops={reactorThread} -> {(ok ? "ok" : "FAILED")}");
return ok ? 0 : 1;
