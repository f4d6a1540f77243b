using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>ReactorGroup with async connection handlers, on every backend.</summary>
public abstract partial class ReactorConformanceTests
{
    [SkippableFact]
    public void Async_handlers_start_inline_on_the_accepting_loop_fan_out_and_resume_there()
    {
        var threads = new ConcurrentDictionary<int, ConcurrentBag<string?>>(); // connection -> thread of every step
        var startedInAcceptor = new ConcurrentBag<bool>();
        int next = 0;
        using var group = new ReactorGroup(Kind, new IPEndPoint(IPAddress.Loopback, 0), async (socket, _) =>
        {
            // Inline: the handler's first part runs inside the acceptor's callback, not from a later posted item.
            startedInAcceptor.Add(new StackTrace().GetFrames().Any(frame => frame.GetMethod()?.DeclaringType == typeof(Acceptor)));
            var seen = threads.GetOrAdd(Interlocked.Increment(ref next), _ => []);
            seen.Add(Thread.CurrentThread.Name);
            var buffer = new byte[64];
            int received;
            while ((received = await socket.ReceiveAsync(buffer)) > 0)
            {
                seen.Add(Thread.CurrentThread.Name);
                await socket.SendAsync(buffer.AsMemory(0, received));
                seen.Add(Thread.CurrentThread.Name);
            }
        }, loopCount: 2);
        group.Start();
        for (int i = 0; i < 20; i++)
        {
            using Socket client = BlockingClient.Connect(group.LocalEndPoint);
            for (int round = 0; round < 3; round++)
            {
                client.Send([(byte)i, (byte)round]);
                var reply = new byte[2];
                for (int total = 0; total < 2;)
                {
                    int n = client.Receive(reply, total, 2 - total, SocketFlags.None);
                    Assert.True(n > 0, "the server closed the connection");
                    total += n;
                }

                Assert.Equal(new[] { (byte)i, (byte)round }, reply);
            }
        }

        group.Stop();
        Assert.Equal(20, threads.Count);
        Assert.All(startedInAcceptor, Assert.True);
        Assert.All(threads.Values, steps =>
        {
            Assert.Single(steps.Distinct());                        // every continuation on the thread that started it
            Assert.Matches("^reactor-[01]$", steps.First() ?? ""); // which is a loop thread
        });
        // SO_REUSEPORT spreads the 20 connections over both loops (all on one: probability 2^-19).
        Assert.Equal(2, threads.Values.Select(steps => steps.First()).Distinct().Count());
    }

    [SkippableFact]
    public void A_throwing_async_handler_is_reported_its_connection_closed_and_the_loop_goes_on()
    {
        WarmUpAsyncGroup();
        (int descriptorsBefore, Dictionary<int, string> snapshot) = EpollFdSnapshot.Start();
        var reported = new ConcurrentQueue<(Exception Error, bool Terminating)>();
        int next = 0;
        using (var group = new ReactorGroup(Kind, new IPEndPoint(IPAddress.Loopback, 0), (socket, _) =>
        {
            int connection = next++; // loop thread only: one loop
            if (connection == 0)
            {
                throw new InvalidOperationException("thrown before returning a task");
            }

            return EchoOnceAsync(socket, connection);
        }, loopCount: 1))
        {
            group.UnhandledException += (_, e) => reported.Enqueue(((Exception)e.ExceptionObject, e.IsTerminating));
            group.Start();

            foreach (string expected in new[] { "thrown before returning a task", "thrown after an await" })
            {
                using Socket client = BlockingClient.Connect(group.LocalEndPoint);
                client.Send("x"u8);
                AssertClosedByServer(client); // the group disposed the socket
                SpinUntil(() => reported.Any(entry => entry.Error.Message == expected), $"'{expected}' reported");
            }

            using (Socket client = BlockingClient.Connect(group.LocalEndPoint))
            {
                client.Send("y"u8);
                var reply = new byte[1];
                Assert.Equal(1, client.Receive(reply));
                Assert.Equal((byte)'y', reply[0]); // the loop went on
            }

            Assert.Equal(2, reported.Count);
            Assert.All(reported, entry => Assert.IsType<InvalidOperationException>(entry.Error));
            Assert.All(reported, entry => Assert.False(entry.Terminating));
            Assert.Equal(0, group.FaultedLoopCount);
        }

        EpollFdSnapshot.AssertCountReturnsTo(descriptorsBefore, snapshot);
    }

    [SkippableFact]
    public void Stop_with_async_connections_open_ends_their_handlers_closes_them_and_leaks_no_descriptor()
    {
        WarmUpAsyncGroup();
        (int descriptorsBefore, Dictionary<int, string> snapshot) = EpollFdSnapshot.Start();
        var ended = new ConcurrentQueue<string>();
        var reported = new ConcurrentQueue<object>();
        var clients = new List<Socket>();
        int next = 0;
        using (var group = new ReactorGroup(Kind, new IPEndPoint(IPAddress.Loopback, 0), async (socket, stopping) =>
        {
            try
            {
                if (Interlocked.Increment(ref next) % 2 == 0)
                {
                    await Task.Delay(Timeout.Infinite, stopping); // waits on the token only
                }
                else
                {
                    var buffer = new byte[16];
                    while (await socket.ReceiveAsync(buffer) > 0)
                    {
                    }
                }

                ended.Enqueue("returned");
            }
            catch (Exception e)
            {
                ended.Enqueue(e.GetType().Name);
                throw;
            }
        }, loopCount: 2))
        {
            group.UnhandledException += (_, e) => reported.Enqueue(e.ExceptionObject);
            group.Start();
            for (int i = 0; i < 10; i++)
            {
                clients.Add(BlockingClient.Connect(group.LocalEndPoint));
            }

            SpinUntil(() => Volatile.Read(ref next) == 10, "10 handlers started");
            group.Stop();

            Assert.Equal(10, ended.Count); // every handler has ended when Stop returns
            Assert.Equal(5, ended.Count(name => name is nameof(TaskCanceledException)));
            Assert.Equal(5, ended.Count(name => name is nameof(ObjectDisposedException)));
            Assert.Empty(reported); // shutdown's own exceptions are not failures
            foreach (Socket client in clients)
            {
                AssertClosedByServer(client);
            }
        }

        foreach (Socket client in clients)
        {
            client.Dispose();
        }

        EpollFdSnapshot.AssertCountReturnsTo(descriptorsBefore, snapshot);
    }

    [SkippableFact]
    public void Stop_gives_up_on_a_handler_that_ignores_the_token_after_the_shutdown_timeout()
    {
        var never = new TaskCompletionSource();
        int started = 0;
        using var group = new ReactorGroup(new IPEndPoint(IPAddress.Loopback, 0), async (_, _) =>
        {
            Interlocked.Increment(ref started);
            await never.Task; // neither the token nor the socket
        }, new ReactorGroupOptions { Kind = Kind, LoopCount = 1, ShutdownTimeout = TimeSpan.FromMilliseconds(100) });
        group.Start();
        using Socket client = BlockingClient.Connect(group.LocalEndPoint);
        SpinUntil(() => Volatile.Read(ref started) == 1, "the handler started");

        Task stop = Task.Run(group.Stop);
        Assert.True(stop.Wait(HangLimit), "hang detector: Stop waited for a handler that never returns");
        Assert.False(group.Reactors[0].IsRunning);
        AssertClosedByServer(client); // its socket was closed all the same
    }

    /// <summary>
    /// The server closed the connection: end of stream, or a reset when it closed with bytes of ours unread (the
    /// handler that throws before reading).
    /// </summary>
    private static void AssertClosedByServer(Socket client)
    {
        try
        {
            Assert.Equal(0, client.Receive(new byte[1]));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }

    /// <summary>
    /// One async group that serves a connection whose handler throws, before a descriptor count is taken: the first of
    /// them in a process makes the runtime open descriptors of its own for good (seen: 2 more after than before, on
    /// whichever backend ran first).
    /// </summary>
    private void WarmUpAsyncGroup()
    {
        using var group = new ReactorGroup(Kind, new IPEndPoint(IPAddress.Loopback, 0), async (socket, _) =>
        {
            await socket.ReceiveAsync(new byte[1]);
            throw new InvalidOperationException("warm-up");
        }, loopCount: 1);
        group.UnhandledException += (_, _) => { };
        group.Start();
        using Socket client = BlockingClient.Connect(group.LocalEndPoint);
        client.Send("x"u8);
        AssertClosedByServer(client);
    }

    private static async Task EchoOnceAsync(ReactorSocket socket, int connection)
    {
        var buffer = new byte[1];
        int received = await socket.ReceiveAsync(buffer);
        if (connection == 1)
        {
            throw new InvalidOperationException("thrown after an await");
        }

        await socket.SendAsync(buffer.AsMemory(0, received));
    }
}
