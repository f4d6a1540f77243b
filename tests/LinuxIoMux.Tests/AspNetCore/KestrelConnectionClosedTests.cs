using System.Net;
using LinuxIoMux.Samples.KestrelPlaintext;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>
/// Issue 15: the connection's IConnectionLifetimeFeature.ConnectionClosed token fires when the connection ends, as on
/// the Sockets transport: Kestrel registers on it to abort a request in flight when the client goes away.
/// </summary>
/// <remarks>
/// A connection middleware watches the token and, once Kestrel is done with the connection, waits (bounded) for it
/// before returning: the transport's DisposeAsync (which also cancels the token) only runs after the middleware
/// returns, so the token has to be fired by the closing itself, not by the clean-up.
/// </remarks>
public class KestrelConnectionClosedTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    public static TheoryData<KestrelTransport> EveryTransport => new(
        KestrelTransport.Sockets, KestrelTransport.EpollInline, KestrelTransport.EpollThreadPool, KestrelTransport.PollInline,
        KestrelTransport.SelectInline, KestrelTransport.IoUringInline);

    [SkippableTheory]
    [MemberData(nameof(EveryTransport))]
    public async Task ConnectionClosed_fires_when_the_peer_closes(KestrelTransport transport)
    {
        string outcome = await ClosedOutcome(transport, endpoint =>
        {
            using var client = WireClient.Connect(endpoint);
            client.Send(WireClient.Get("/plaintext"));
            Assert.EndsWith(KestrelEndpoints.PlaintextBody, client.Wire.ReadResponse());
            // Dispose: the client's FIN is what the server side must see.
        });
        Assert.Equal("ConnectionClosed fired", outcome);
    }

    [SkippableTheory]
    [MemberData(nameof(EveryTransport))]
    public async Task ConnectionClosed_fires_when_the_server_aborts(KestrelTransport transport)
    {
        string outcome = await ClosedOutcome(transport, endpoint =>
        {
            // The client stays connected and silent until the server has cut it off: only the server's abort ends it.
            using var client = WireClient.Connect(endpoint);
            client.Send(WireClient.Get("/abort"));
            string cut = client.Wire.ReadUntilClosed();
            Assert.True(cut.EndsWith("[FIN]", StringComparison.Ordinal) || cut.EndsWith("[RST]", StringComparison.Ordinal), cut);
        });
        Assert.Equal("ConnectionClosed fired", outcome);
    }

    /// <summary>Runs <paramref name="client"/> against a host whose connection middleware reports whether ConnectionClosed fired.</summary>
    private static async Task<string> ClosedOutcome(KestrelTransport transport, Action<IPEndPoint> client)
    {
        var outcome = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(transport, listen: listen => listen.Use(next => async connection =>
        {
            CancellationToken closed = connection.Features.Get<IConnectionLifetimeFeature>()!.ConnectionClosed;
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using CancellationTokenRegistration registration = closed.Register(() => fired.TrySetResult());
            try
            {
                await next(connection);
            }
            finally
            {
                bool done = await Task.WhenAny(fired.Task, Task.Delay(Guard)) == fired.Task;
                outcome.TrySetResult(done ? "ConnectionClosed fired" : $"ConnectionClosed not fired {Guard.TotalSeconds} s after Kestrel finished");
            }
        }));
        await Task.Run(() => client(host.Endpoint)).WaitAsync(Guard);
        return await outcome.Task.WaitAsync(Guard * 2);
    }
}
