using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>
/// Issue 15: the connection features Kestrel and connection middleware read (end points, memory pool, lifetime, the
/// socket) are there and mean what they mean on the Sockets transport; nothing in an HTTP exchange shows them otherwise
/// (Kestrel falls back to the shared pool when IMemoryPoolFeature is missing).
/// </summary>
public class KestrelConnectionFeaturesTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public static TheoryData<KestrelTransport> EveryLinuxIoMuxTransport => KestrelTransportComparisonTests.EveryLinuxIoMuxTransport;

    [SkippableTheory]
    [MemberData(nameof(EveryLinuxIoMuxTransport))]
    public async Task Connection_features_name_the_real_end_points_and_a_memory_pool_as_on_Sockets(KestrelTransport transport)
    {
        string expected = await FeatureReport(KestrelTransport.Sockets);
        string actual = await FeatureReport(transport);
        // Kestrel's Sockets transport (10.0) does not put IConnectionEndPointFeature in its collection (connection
        // middleware there reads ConnectionContext's end points); this transport does, so that line is checked on its own.
        const string EndPointFeature = "end point feature: local=<server> remote=<client>\n";
        Assert.Contains(EndPointFeature, actual);
        Assert.Equal(expected.Replace("end point feature: local= remote=\n", "", StringComparison.Ordinal),
            actual.Replace(EndPointFeature, "", StringComparison.Ordinal));
        Assert.Equal(
            """
            end point feature: local=<server> remote=<client>
            connection: local=<server> remote=<client>
            socket feature: local=<server> remote=<client>
            memory pool feature: rents 4096+ bytes
            lifetime feature: ConnectionClosed cancellable
            HttpContext.Connection: <server> <client>

            """.ReplaceLineEndings("\n"),
            actual);
    }

    /// <summary>What a connection middleware and an endpoint see of one connection, with the two real end points named.</summary>
    private static async Task<string> FeatureReport(KestrelTransport transport)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(transport,
            map: app => app.MapGet("/peer", (HttpContext context) => Results.Text(
                $"{context.Connection.LocalIpAddress}:{context.Connection.LocalPort} {context.Connection.RemoteIpAddress}:{context.Connection.RemotePort}", "text/plain")),
            listen: listen => listen.Use(next => connection =>
            {
                seen.TrySetResult(Describe(connection));
                return next(connection);
            }));
        return await Task.Run(() =>
        {
            using var client = WireClient.Connect(host.Endpoint);
            client.Send(WireClient.Get("/peer"));
            string response = client.Wire.ReadResponse()!;
            string body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
            string report = seen.Task.WaitAsync(Guard).GetAwaiter().GetResult() + $"HttpContext.Connection: {body}\n";
            // The client's own view of the connection is the truth the server's features must match.
            return report.Replace(client.Socket.LocalEndPoint!.ToString()!, "<client>", StringComparison.Ordinal)
                .Replace(client.Socket.RemoteEndPoint!.ToString()!, "<server>", StringComparison.Ordinal);
        }).WaitAsync(KestrelHost.Hang);
    }

    private static string Describe(ConnectionContext connection)
    {
        var report = new StringBuilder();
        IConnectionEndPointFeature? endPoints = connection.Features.Get<IConnectionEndPointFeature>();
        report.Append($"end point feature: local={endPoints?.LocalEndPoint} remote={endPoints?.RemoteEndPoint}\n");
        report.Append($"connection: local={connection.LocalEndPoint} remote={connection.RemoteEndPoint}\n");
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        report.Append($"socket feature: local={socket?.LocalEndPoint} remote={socket?.RemoteEndPoint}\n");
        MemoryPool<byte>? pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        if (pool is null)
        {
            report.Append("memory pool feature: missing\n");
        }
        else
        {
            using IMemoryOwner<byte> block = pool.Rent(4096);
            report.Append($"memory pool feature: rents {(block.Memory.Length >= 4096 ? "4096+" : block.Memory.Length.ToString())} bytes\n");
        }

        IConnectionLifetimeFeature? lifetime = connection.Features.Get<IConnectionLifetimeFeature>();
        report.Append($"lifetime feature: {(lifetime is null ? "missing" : lifetime.ConnectionClosed.CanBeCanceled ? "ConnectionClosed cancellable" : "ConnectionClosed never fires")}\n");
        return report.ToString();
    }
}
