using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>Issue 11's allocation promise on every backend: awaited receives and sends allocate nothing in steady state.</summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void Awaited_receive_and_send_allocate_nothing_over_10000_round_trips()
    {
        const int WarmUp = 500;
        const int RoundTrips = 10_000;
        const int MaxWindows = 3;
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (client, server) = Loopback.TcpPair();
        using var clientSocket = new ReactorSocket(reactor, client);
        using var serverSocket = new ReactorSocket(reactor, server);
        // Up to three measured windows of RoundTrips each, ending at the first that allocates nothing: a one-time
        // allocation of the runtime (a tier-up the warm-up did not reach on a loaded machine) lands in one window, a
        // steady-state allocation in every one. Capacity for all of them up front: Add must not allocate.
        var windows = new List<long>(MaxWindows);
        int clientWaits = 0;
        int mismatches = 0;

        // Everything runs on this thread (the loop), so GetAllocatedBytesForCurrentThread sees the loop's iterations,
        // the dispatch, the continuations and both peers' operations, and nothing of other tests.
        Task echo = reactor.Spawn(async () =>
        {
            byte[] buffer = new byte[64];
            int n;
            while ((n = await serverSocket.ReceiveAsync(buffer)) > 0)
            {
                await serverSocket.SendAsync(buffer.AsMemory(0, n));
            }
        });
        Task pingPong = reactor.Spawn(async () =>
        {
            byte[] request = new byte[32];
            byte[] response = new byte[64];
            long windowStart = 0;
            for (int i = 0; ; i++)
            {
                if (i >= WarmUp && (i - WarmUp) % RoundTrips == 0)
                {
                    if (i > WarmUp)
                    {
                        windows.Add(GC.GetAllocatedBytesForCurrentThread() - windowStart);
                        if (windows[^1] == 0 || windows.Count == MaxWindows)
                        {
                            break;
                        }
                    }

                    windowStart = GC.GetAllocatedBytesForCurrentThread();
                }

                request[0] = (byte)i;
                await clientSocket.SendAsync(request);
                int received = 0;
                while (received < request.Length)
                {
                    ValueTask<int> receive = clientSocket.ReceiveAsync(response.AsMemory(received));
                    if (!receive.IsCompleted && i >= WarmUp)
                    {
                        clientWaits++; // the round trip went through the readiness wait, not only the syscall
                    }

                    received += await receive;
                }

                if (response[0] != (byte)i)
                {
                    mismatches++; // counted, not asserted here: xunit's Assert.Equal allocates
                }
            }

            clientSocket.ShutdownSend();
        });

        RunUntil(reactor, () => pingPong.IsCompleted && echo.IsCompleted, "the round trips");
        pingPong.GetAwaiter().GetResult();
        echo.GetAwaiter().GetResult();
        _output.WriteLine($"{Kind}: {string.Join(", ", windows)} B over windows of {RoundTrips} awaited round trips, {clientWaits} receives waited");
        Assert.Equal(0, mismatches);
        Assert.True(clientWaits > RoundTrips / 2, $"only {clientWaits} of {RoundTrips} receives waited for readiness");
        Assert.True(windows[^1] == 0, $"every window of {RoundTrips} awaited round trips allocated: {string.Join(", ", windows)} B");
    }
}
