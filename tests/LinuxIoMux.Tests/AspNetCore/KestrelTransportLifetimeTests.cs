using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using LinuxIoMux.Samples.KestrelPlaintext;
using LinuxIoMux.Tests.Util;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>Issue 15: graceful shutdown with connections open, HTTPS through Kestrel's TLS, no descriptor left behind.</summary>
public class KestrelTransportLifetimeTests
{
    public static TheoryData<KestrelTransport> EpollModes => KestrelTransportComparisonTests.EpollModes;

    [SkippableTheory]
    [MemberData(nameof(EpollModes))]
    public async Task Graceful_shutdown_closes_idle_connections_and_lets_the_request_in_flight_finish(KestrelTransport transport)
    {
        string expected = await ShutdownTranscript(KestrelTransport.Sockets);
        string actual = await ShutdownTranscript(transport);
        Assert.Equal(expected, actual);
        Assert.Contains("idle: [FIN]\nidle: [FIN]\nidle: [FIN]\n", actual);
        Assert.Contains("released", actual);
    }

    [SkippableTheory]
    [MemberData(nameof(EpollModes))]
    public async Task Graceful_shutdown_past_its_grace_period_aborts_the_connections_still_open(KestrelTransport transport)
    {
        string expected = await OverdueShutdownTranscript(KestrelTransport.Sockets);
        string actual = await OverdueShutdownTranscript(transport);
        Assert.Equal(expected, actual);
        Assert.Equal("client: closed\napp: RequestAborted fired\n", actual);
    }

    [SkippableTheory]
    [MemberData(nameof(EpollModes))]
    public async Task Https_through_Kestrels_TLS_with_a_self_signed_certificate_answers_as_on_Sockets(KestrelTransport transport)
    {
        using X509Certificate2 certificate = TestCertificate.Create();
        string expected = await TlsTranscript(KestrelTransport.Sockets, certificate);
        string actual = await TlsTranscript(transport, certificate);
        Assert.Equal(expected, actual);
        Assert.StartsWith("Tls1", actual);
        Assert.Contains(KestrelEndpoints.PlaintextBody, actual);
    }

    [SkippableTheory]
    [MemberData(nameof(EpollModes))]
    public async Task Stopping_the_host_closes_every_descriptor_the_transport_opened(KestrelTransport transport)
    {
        // One start and stop first: the runtime opens descriptors of its own once (thread-pool, sockets engine).
        await using (KestrelHost warm = await KestrelHost.StartAsync(transport))
        {
            await Task.Run(() => OneRequest(warm)).WaitAsync(KestrelHost.Hang);
        }

        int before = CountAfterFinalizers();
        // The server side of every connection, held here: a socket the transport forgot would otherwise be closed by
        // its finalizer inside CountAfterFinalizers and the leak would go unseen (it did: a connection whose pipe was
        // never disposed passed the count alone).
        var served = new ConcurrentQueue<Socket>();
        WireClient? idle = null;
        try
        {
            await using (KestrelHost host = await KestrelHost.StartAsync(transport, listen: listen => listen.Use(next => connection =>
            {
                served.Enqueue(connection.Features.Get<IConnectionSocketFeature>()!.Socket);
                return next(connection);
            })))
            {
                await Task.Run(() =>
                {
                    OneRequest(host);
                    using (var reset = WireClient.Connect(host.Endpoint))
                    {
                        reset.Send("POST /digest HTTP/1.1\r\nHost: test\r\nContent-Length: 100000\r\n\r\nabc");
                        reset.Reset();
                    }

                    // Still open when the host stops: only the transport can close the server's side of it.
                    idle = WireClient.Connect(host.Endpoint);
                    idle.Send(WireClient.Get("/plaintext"));
                    idle.Wire.ReadResponse();
                }).WaitAsync(KestrelHost.Hang);
            }

            // The loop threads close what they own as they finish; give a loaded machine time, then compare.
            for (int i = 0; i < 100 && served.Any(socket => !socket.SafeHandle.IsClosed); i++)
            {
                await Task.Delay(50);
            }

            // At least the request's and the idle one's (the reset one may be gone before accept(2) takes it).
            Assert.True(served.Count >= 2, $"{served.Count} connections reached Kestrel");
            Assert.Equal($"0 of {served.Count} server sockets open", $"{served.Count(socket => !socket.SafeHandle.IsClosed)} of {served.Count} server sockets open");
        }
        finally
        {
            idle?.Dispose();
        }

        int after = CountAfterFinalizers();
        for (int i = 0; i < 100 && after > before; i++)
        {
            await Task.Delay(50);
            after = CountAfterFinalizers();
        }

        Assert.Equal(before, after);
    }

    /// <summary>The process's open descriptors once the finalizers of earlier tests' garbage have run: a socket an earlier
    /// test left to the GC would otherwise close between the two counts and make "after" smaller (seen once).</summary>
    private static int CountAfterFinalizers()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return OpenDescriptors.Count();
    }

    private static void OneRequest(KestrelHost host)
    {
        using var client = WireClient.Connect(host.Endpoint);
        client.Send(WireClient.Get("/plaintext"));
        Assert.EndsWith(KestrelEndpoints.PlaintextBody, client.Wire.ReadResponse());
    }

    private static async Task<string> ShutdownTranscript(KestrelTransport transport)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(transport, map: app => app.MapGet("/gate", async () =>
        {
            started.TrySetResult();
            await release.Task;
            return Results.Text("released", "text/plain");
        }));

        var idle = Enumerable.Range(0, 3).Select(_ => WireClient.Connect(host.Endpoint)).ToList();
        using var busy = WireClient.Connect(host.Endpoint);
        try
        {
            var transcript = new StringBuilder();
            foreach (WireClient client in idle)
            {
                client.Send(WireClient.Get("/plaintext"));
                client.Wire.ReadResponse();
            }

            busy.Send(WireClient.Get("/gate"));
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Task stopping = host.StopAsync();
            // Kestrel closes the idle keep-alive connections first and waits for the request in flight.
            foreach (WireClient client in idle)
            {
                transcript.Append("idle: ").Append(await Task.Run(client.Wire.ReadUntilClosed).WaitAsync(KestrelHost.Hang)).Append('\n');
            }

            transcript.Append("stopped before release: ").Append(stopping.IsCompleted).Append('\n');
            release.SetResult();
            transcript.Append("busy: ").Append(await Task.Run(busy.Wire.ReadResponse).WaitAsync(KestrelHost.Hang)).Append('\n');
            transcript.Append("busy then: ").Append(await Task.Run(busy.Wire.ReadUntilClosed).WaitAsync(KestrelHost.Hang)).Append('\n');
            await stopping.WaitAsync(TimeSpan.FromSeconds(60));
            return transcript.ToString();
        }
        finally
        {
            idle.ForEach(client => client.Dispose());
        }
    }

    /// <summary>
    /// A request that never finishes by itself while the host stops with a short grace period: Kestrel then aborts the
    /// connection (IConnectionLifetimeFeature.Abort), and only the transport's abort can close it, since the app still
    /// holds the request and Kestrel has not disposed the connection.
    /// </summary>
    private static async Task<string> OverdueShutdownTranscript(KestrelTransport transport)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var appSaw = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(transport, map: app => app.MapGet("/stuck", async (HttpContext context) =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(KestrelHost.Hang, context.RequestAborted);
                appSaw.TrySetResult("RequestAborted not fired");
            }
            catch (OperationCanceledException)
            {
                appSaw.TrySetResult("RequestAborted fired");
            }
        }));

        using var client = WireClient.Connect(host.Endpoint);
        client.Send(WireClient.Get("/stuck"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // The grace period's length is not what is tested: it only has to end while the request is still stuck.
        using var gracePeriod = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        Task stopping = host.StopAsync(gracePeriod.Token);
        string cut = await Task.Run(client.Wire.ReadUntilClosed).WaitAsync(KestrelHost.Hang);
        string seen = await appSaw.Task.WaitAsync(KestrelHost.Hang);
        await stopping;
        return $"client: {(cut is "[FIN]" or "[RST]" ? "closed" : cut)}\napp: {seen}\n";
    }

    private static async Task<string> TlsTranscript(KestrelTransport transport, X509Certificate2 certificate)
    {
        await using KestrelHost host = await KestrelHost.StartAsync(transport, certificate);
        return await Task.Run(() =>
        {
            using var client = WireClient.Connect(host.Endpoint);
            using var tls = new SslStream(client.Stream, leaveInnerStreamOpen: true,
                (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString());
            tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.None });
            var wire = new HttpWire(tls);
            tls.Write(Encoding.ASCII.GetBytes(WireClient.Get("/plaintext") + WireClient.Get("/bytes/1048576")));
            return $"{tls.SslProtocol}\n{wire.ReadResponse()}{wire.ReadResponse()}";
        }).WaitAsync(KestrelHost.Hang);
    }
}
