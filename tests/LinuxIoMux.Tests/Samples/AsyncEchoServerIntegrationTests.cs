using System.Net.Sockets;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Samples;

/// <summary>samples/AsyncEchoServer as a real process on every backend.</summary>
public class AsyncEchoServerIntegrationTests
{
    /// <summary>
    /// A 1 MiB stream comes back intact over several connections at once (both loops serve), the client's half-close
    /// comes back as end of stream after the last byte (ShutdownSend), and SIGTERM exits 0 with connections open.
    /// </summary>
    [SkippableTheory]
    [InlineData("epoll")]
    [InlineData("poll")]
    [InlineData("select")]
    [InlineData("io_uring")]
    public void Megabyte_streams_come_back_byte_for_byte_a_half_close_is_echoed_and_SIGTERM_stops_it(string backend)
    {
        if (backend == "io_uring")
        {
            IoUringSupport.SkipUnlessAvailable();
        }

        using var server = ChildServer.Start("AsyncEchoServer", null, "--backend", backend, "--loops", "2");
        var clients = Enumerable.Range(0, 4).Select(_ => BlockingClient.Connect(server.Endpoint)).ToList();
        try
        {
            Parallel.ForEach(clients, (client, _, index) =>
            {
                byte[] sent = new byte[1024 * 1024];
                new Random((int)index).NextBytes(sent);
                // Send on another thread while this one reads: with both sides' buffers full, one thread would deadlock.
                var sender = Task.Run(() =>
                {
                    client.Send(sent);
                    client.Shutdown(SocketShutdown.Send);
                });
                byte[] received = new byte[sent.Length + 1];
                int total = 0;
                int n;
                while ((n = client.Receive(received, total, received.Length - total, SocketFlags.None)) > 0)
                {
                    total += n;
                }

                Assert.True(sender.Wait(TimeSpan.FromSeconds(20)), "hang detector: the send did not complete");
                Assert.Equal(sent.Length, total); // then end of stream: the server shut down its side after the echo
                Assert.Equal(sent, received[..total]);
            });

            using Socket idle = BlockingClient.Connect(server.Endpoint); // open at shutdown: closed by the group
            (int exitCode, string output) = server.Stop();
            Assert.Equal(0, exitCode);
            Assert.Contains("async echo server: stopped", output);
            Assert.Equal(0, idle.Receive(new byte[1]));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }
}
