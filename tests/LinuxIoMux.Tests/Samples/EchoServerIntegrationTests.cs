using System.Net.Sockets;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>samples/EchoServer as a real process on every backend: a 1 MiB stream comes back intact, SIGTERM exits 0.</summary>
public class EchoServerIntegrationTests
{
    [SkippableTheory]
    [InlineData("epoll")]
    [InlineData("poll")]
    [InlineData("select")]
    [InlineData("io_uring")]
    public void A_megabyte_stream_comes_back_byte_for_byte_and_SIGTERM_stops_it(string backend)
    {
        SkipUnlessBackendAvailable(backend);
        using var server = ChildServer.Start("EchoServer", null, "--backend", backend);
        using Socket client = BlockingClient.Connect(server.Endpoint);
        byte[] sent = new byte[1024 * 1024];
        new Random(7).NextBytes(sent);

        // Send on one thread while this one reads: with both sides' buffers full, a one-thread client would deadlock.
        var sender = new Thread(() => client.Send(sent));
        sender.Start();
        byte[] received = new byte[sent.Length];
        int total = 0;
        while (total < received.Length)
        {
            int n = client.Receive(received, total, received.Length - total, SocketFlags.None);
            Assert.True(n > 0, $"the server closed the connection after {total} bytes");
            total += n;
        }

        Assert.True(sender.Join(TimeSpan.FromSeconds(20)), "hang detector: the send did not complete");
        Assert.Equal(sent, received);
        (int exitCode, string output) = server.Stop();
        Assert.Equal(0, exitCode);
        Assert.Contains("echo server: stopped", output);
    }

    private static void SkipUnlessBackendAvailable(string backend)
    {
        if (backend == "io_uring")
        {
            IoUringSupport.SkipUnlessAvailable();
        }
    }
}
