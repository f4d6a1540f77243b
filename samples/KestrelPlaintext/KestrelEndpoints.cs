using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace LinuxIoMux.Samples.KestrelPlaintext;

/// <summary>
/// The sample's endpoints: the two TechEmpower-style benchmark endpoints, plus the few that the transport tests drive
/// on both transports (large bodies both ways, a server-side abort). Every response is a pure function of the request,
/// so two transports must answer byte for byte the same (Date aside).
/// </summary>
public static class KestrelEndpoints
{
    /// <summary>The plaintext body, the same as samples/HttpPlaintext's.</summary>
    public const string PlaintextBody = "Hello, World!";

    /// <summary>Maps GET /plaintext, GET /json, POST /digest, GET /bytes/{count} and GET /abort on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/plaintext", () => Results.Text(PlaintextBody, "text/plain"));
        app.MapGet("/json", () => Results.Json(new JsonMessage(PlaintextBody), SampleJsonContext.Default.JsonMessage));

        // Large bodies up: the length and SHA-256 of what arrived (an echo would be chunked at read boundaries, which
        // differ between transports; the digest does not).
        app.MapPost("/digest", async (HttpContext context) =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            byte[] buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }

            return Results.Text($"{total} {Convert.ToHexStringLower(hash.GetHashAndReset())}", "text/plain");
        });

        // Large bodies down: count bytes of a fixed pattern, with Content-Length (so no chunk boundaries to differ).
        app.MapGet("/bytes/{count:long}", async (HttpContext context, long count) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = count;
            byte[] block = Pattern(64 * 1024);
            for (long sent = 0; sent < count; sent += block.Length)
            {
                await context.Response.Body.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, count - sent)), context.RequestAborted);
            }
        });

        // A server abort: the head and part of the body flushed, then the connection dropped (IConnectionLifetimeFeature.Abort).
        app.MapGet("/abort", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("partial", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        });
    }

    /// <summary>The byte pattern /bytes/{count} repeats: byte i is i mod 251 (a prime, so blocks do not align with it).</summary>
    public static byte[] Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }
}

/// <summary>The /json response body.</summary>
/// <param name="Message">Always "Hello, World!".</param>
public sealed record JsonMessage([property: JsonPropertyName("message")] string Message);

/// <summary>Source-generated serializer for <see cref="JsonMessage"/> (no reflection on the request path).</summary>
[JsonSerializable(typeof(JsonMessage))]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
