using System.Net.Sockets;
using LinuxIoMux.Samples.KestrelPlaintext;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>
/// Issue 15: how a client ends its side reaches Kestrel as on the Sockets transport: a half-close between requests gets the
/// server's FIN, and a client gone mid-body (reset or FIN) aborts the request in the app.
/// </summary>
public class KestrelClientEndTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    public static TheoryData<KestrelTransport> EveryLinuxIoMuxTransport => KestrelTransportComparisonTests.EveryLinuxIoMuxTransport;

    [SkippableTheory]
    [MemberData(nameof(EveryLinuxIoMuxTransport))]
    public async Task A_client_that_half_closes_between_requests_gets_the_servers_FIN(KestrelTransport transport)
    {
        string transcript = await KestrelTransportComparisonTests.SameOnBoth(transport, endpoint =>
        {
            using var client = WireClient.Connect(endpoint);
            client.Send(WireClient.Get("/plaintext"));
            string response = client.Wire.ReadResponse()!;
            // shutdown(SHUT_WR) while idle: only the transport reading the FIN tells Kestrel to close; the client still
            // reads, so it sees the server's side end. (Sent right behind a request, the FIN races the response: Kestrel
            // aborts a request whose connection's input has ended, on either transport.)
            client.Socket.Shutdown(SocketShutdown.Send);
            return response + "\nthen: " + client.Wire.ReadUntilClosed();
        });
        Assert.EndsWith(KestrelEndpoints.PlaintextBody + "\nthen: [FIN]", transcript);
    }

    [SkippableTheory]
    [MemberData(nameof(EveryLinuxIoMuxTransport))]
    public async Task A_client_gone_mid_body_aborts_the_request_in_the_app(KestrelTransport transport)
    {
        string expected = await GoneMidBodyTranscript(KestrelTransport.Sockets);
        string actual = await GoneMidBodyTranscript(transport);
        Assert.Equal(expected, actual);
        Assert.Equal("reset: RequestAborted fired\nclosed: RequestAborted fired\n", actual);
    }

    /// <summary>
    /// The app takes a request with a 4 MiB body and waits on RequestAborted without reading it; the client sends 16 KiB
    /// of the body and leaves, once with a reset and once with a FIN. Nothing but the transport noticing the end of the
    /// connection (ConnectionClosed) can abort the request: the app reads nothing that could fail.
    /// </summary>
    private static async Task<string> GoneMidBodyTranscript(KestrelTransport transport)
    {
        TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        TaskCompletionSource<string> appSaw = new(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(transport, map: app => app.MapPost("/hold", async (HttpContext context) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Guard, context.RequestAborted);
                appSaw.TrySetResult($"RequestAborted not fired {Guard.TotalSeconds} s after the client left");
            }
            catch (OperationCanceledException)
            {
                appSaw.TrySetResult("RequestAborted fired");
            }
        }));

        string transcript = "";
        foreach (bool reset in new[] { true, false })
        {
            (started, appSaw) = (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously));
            using (var client = WireClient.Connect(host.Endpoint))
            {
                // Less than the 1 MiB read buffer, so the transport is still reading the socket when the client leaves.
                client.Send($"POST /hold HTTP/1.1\r\nHost: test\r\nContent-Length: {4 * 1024 * 1024}\r\n\r\n");
                client.Send(KestrelEndpoints.Pattern(16 * 1024));
                await started.Task.WaitAsync(KestrelHost.Hang);
                if (reset)
                {
                    client.Reset();
                }
            }

            transcript += $"{(reset ? "reset" : "closed")}: {await appSaw.Task.WaitAsync(KestrelHost.Hang)}\n";
        }

        return transcript;
    }
}
