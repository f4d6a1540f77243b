using System.Runtime.InteropServices;
using LinuxIoMux;
using LinuxIoMux.Samples;

// An echo server written the way C# servers are written, with async/await, on one reactor per core:
//   dotnet run -c Release --project samples/AsyncEchoServer -- --backend epoll|poll|select|io_uring --port 7001
ServerOptions? options = ServerOptions.Parse(args, "AsyncEchoServer",
    "AsyncEchoServer: writes back every byte it receives, one async handler per connection. Try: printf 'hi\\n' | nc -q1 127.0.0.1 7001",
    defaultPort: 7001, defaultLoops: Environment.ProcessorCount, out int exitCode);
if (options is null)
{
    return exitCode;
}

// Loop i accepts on its own SO_REUSEPORT listener and calls Echo inline, on its thread, for each connection; every
// await in Echo resumes on that same thread, so per-loop state needs no lock. The group disposes the socket after.
using var group = new ReactorGroup(options.Endpoint, Echo,
    new ReactorGroupOptions { Kind = options.Backend, LoopCount = options.Loops });
group.UnhandledException += (_, e) => Console.Error.WriteLine($"echo: {e.ExceptionObject}"); // a handler threw

using var stop = new ManualResetEventSlim();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Set(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
group.Start();
Console.WriteLine($"async echo server: {options.Backend}, {group.Reactors.Count} loop(s), listening on {group.LocalEndPoint}");
stop.Wait();
group.Stop(); // cancels the handlers' token and disposes open sockets: pending awaits end, the loops return
Console.WriteLine("async echo server: stopped");
return 0;

// One connection. ReceiveAsync tries recv(2) first and waits for readiness only on EAGAIN; SendAsync sends it all.
static async Task Echo(ReactorSocket socket, CancellationToken stopping)
{
    byte[] buffer = new byte[16 * 1024];
    while (true)
    {
        int received = await socket.ReceiveAsync(buffer, stopping);
        if (received == 0)
        {
            socket.ShutdownSend(); // the client finished sending: finish our side too, after the last echo
            return;
        }

        await socket.SendAsync(buffer.AsMemory(0, received), stopping);
    }
}
