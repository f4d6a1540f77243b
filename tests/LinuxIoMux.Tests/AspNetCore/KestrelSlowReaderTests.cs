using LinuxIoMux.Samples.KestrelPlaintext;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LinuxIoMux.Tests.AspNetCore;

/// <summary>
/// Issue 15: a client that reads slowly holds the app back (its writes wait, as on the Sockets transport, instead of
/// piling up in memory), still gets every byte, and its connection stays usable.
/// </summary>
public class KestrelSlowReaderTests
{
    /// <summary>
    /// More than the kernel can hold for a reader that reads nothing: the sender's buffer grows to tcp_wmem's maximum
    /// (4 MiB by default) and the receiver's is 4 KiB here, so with back-pressure the app's writes must wait before the end.
    /// </summary>
    private const int Down = 16 * 1024 * 1024;

    public static TheoryData<KestrelTransport> EpollModes => KestrelTransportComparisonTests.EpollModes;

    [SkippableTheory]
    [MemberData(nameof(EpollModes))]
    public async Task A_slow_reader_holds_the_app_back_gets_every_byte_and_the_connection_stays_usable(KestrelTransport transport)
    {
        string expected = await SlowReaderTranscript(KestrelTransport.Sockets);
        string actual = await SlowReaderTranscript(transport);
        Assert.Equal(expected, actual);
        Assert.StartsWith("app: a write waited for the reader\n", actual);
        Assert.Contains($"<{Down} bytes, sha256 {KestrelTransportComparisonTests.ExpectedBytesDigest(Down)}>", actual);
        Assert.EndsWith(KestrelEndpoints.PlaintextBody, actual);
    }

    /// <summary>
    /// The client asks for <see cref="Down"/> bytes and reads nothing until the app reports either a write that did not
    /// complete at once (back-pressure reached it) or that it wrote everything without waiting (nothing held it back);
    /// then it reads the response slowly and asks for one more.
    /// </summary>
    private static async Task<string> SlowReaderTranscript(KestrelTransport transport)
    {
        var held = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using KestrelHost host = await KestrelHost.StartAsync(transport, map: app => app.MapGet("/watched", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = Down;
            byte[] block = KestrelEndpoints.Pattern(64 * 1024); // the blocks of /bytes, so the digest is the same
            for (int sent = 0; sent < Down; sent += block.Length)
            {
                ValueTask write = context.Response.Body.WriteAsync(block.AsMemory(0, Math.Min(block.Length, Down - sent)), context.RequestAborted);
                if (!write.IsCompleted)
                {
                    held.TrySetResult("a write waited for the reader");
                }

                await write;
            }

            held.TrySetResult("every write completed at once: nothing held the app back");
        }));

        return await Task.Run(() =>
        {
            // A small receive window: the server's writes outrun the reader, so the transport's send-side
            // back-pressure (MaxWriteBufferSize) is what holds the rest.
            using var client = WireClient.Connect(host.Endpoint, receiveBufferSize: 4096);
            client.Send(WireClient.Get("/watched"));
            string app = held.Task.WaitAsync(KestrelHost.Hang).GetAwaiter().GetResult();
            var paced = new HttpWire(new PacedStream(client.Stream));
            string slow = paced.ReadResponse()!;
            client.Send(WireClient.Get("/plaintext"));
            return $"app: {app}\n{slow}{client.Wire.ReadResponse()}";
        }).WaitAsync(KestrelHost.Hang);
    }

    /// <summary>A read-only stream that reads at most 4 KiB at a time and sleeps 1 ms before every 8th read.</summary>
    private sealed class PacedStream(Stream inner) : Stream
    {
        private int _reads;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (++_reads % 8 == 0)
            {
                Thread.Sleep(1);
            }

            return inner.Read(buffer, offset, Math.Min(count, 4096));
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
