// A minimal Kestrel app serving GET /plaintext -> "Hello, World!", the peer HttpPlaintext is measured against.
//   dotnet samples/KestrelPlaintext/bin/Release/net10.0/KestrelPlaintext.dll --urls http://127.0.0.1:8081
// No logging on the request path, so the comparison is of the servers, not of console output.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/plaintext", () => Results.Text("Hello, World!", "text/plain"));
app.Run();
