using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LinuxIoMux.Tests.ReactorLoop;
using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// Load and fault runs: thousands of loopback connections with every byte checked, clients that reset mid-message,
/// a slow client against the server's output bound, a server that runs out of descriptors for real (prlimit), and
/// SIGINT under load. The normal run executes the bounded form; <c>LINUXIOMUX_SOAK=1</c> (<c>./build.sh soak</c>) the
/// long one. Descriptors are counted before and after: equal. Only hang detectors bound time.
/// </summary>
[Trait("Category", "Load")]
public class LoadAndFaultTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public LoadAndFaultTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [SkippableFact]
    public void Thousands_of_connections_on_the_epoll_reactor_echo_every_byte_while_some_reset_mid_message()
    {
        int connections = ReliabilityRun.Pick(4_000, 9_000);
        int rounds = ReliabilityRun.Pick(2, 10);
        const int MessageBytes = 64;
        FdLimits.TryRaiseSoftLimit((ulong)(2 * connections + 500), out FdLimits limits);
        Skip.If(limits.Soft < (ulong)(2 * connections + 500), $"{limits} is too low for {connections} in-process connections");
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();

        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(connections);
        var server = new List<EchoConnection>(connections);
        var reactor = new LinuxIoMux.Reactor(MultiplexerKind.Epoll);
        var errors = new List<object>();
        reactor.UnhandledException += (_, e) => errors.Add(e.ExceptionObject);
        var acceptor = new Acceptor(reactor, listener, socket =>
        {
            var connection = new EchoConnection(socket);
            server.Add(connection);
            reactor.Register(socket, Interest.Readable, EchoConnection.Handler, connection);
        });
        var loop = new Thread(() => reactor.Run()) { IsBackground = true, Name = "load-loop" };
        loop.Start();
        var clients = new Socket[connections];
        var reset = new bool[connections];
        int resets = 0;
        long bytesChecked = 0;
        try
        {
            for (int i = 0; i < connections; i++)
            {
                clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
                {
                    ReceiveTimeout = (int)HangDetector.TotalMilliseconds,
                    NoDelay = true,
                };
                clients[i].Connect(listener.LocalEndPoint!);
            }

            var message = new byte[MessageBytes];
            var echo = new byte[MessageBytes];
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < connections; i++)
                {
                    if (reset[i])
                    {
                        continue;
                    }

                    Fill(message, i, round);
                    if (round == rounds / 2 && i % 10 == 7)
                    {
                        // Fault: half a message, then RST (SO_LINGER 0). The server must drop it and nobody else.
                        Assert.Equal(MessageBytes / 2, clients[i].Send(message, 0, MessageBytes / 2, SocketFlags.None));
                        clients[i].LingerState = new LingerOption(true, 0);
                        clients[i].Close();
                        reset[i] = true;
                        resets++;
                        continue;
                    }

                    Assert.Equal(MessageBytes, clients[i].Send(message));
                }

                for (int i = 0; i < connections; i++)
                {
                    if (reset[i])
                    {
                        continue;
                    }

                    Fill(message, i, round);
                    ReceiveExactly(clients[i], echo);
                    Assert.True(message.AsSpan().SequenceEqual(echo), $"connection {i}, round {round}: a byte was lost or changed");
                    bytesChecked += MessageBytes;
                }
            }

            // Every reset connection is closed on the server side; every other one is still open.
            ReactorTestUtil.SpinUntil(() => OnLoop(reactor, () => server.Count(c => c.Closed)) == resets, "the server closed every reset connection");
            Assert.Equal(connections, OnLoop(reactor, () => server.Count));
        }
        finally
        {
            reactor.Stop();
            Assert.True(loop.Join(HangDetector), "hang detector: Run did not return after Stop");
            acceptor.Dispose();
            listener.Dispose();
            foreach (Socket? client in clients)
            {
                client?.Dispose();
            }

            foreach (EchoConnection connection in server)
            {
                connection.Close(null);
            }

            reactor.Dispose();
        }

        Assert.Empty(errors);
        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
        ReliabilityRun.Figure(_output, $"epoll reactor: {connections} concurrent loopback connections held, {rounds} rounds, {bytesChecked} echoed bytes checked, " +
            $"{resets} mid-message resets injected, 0 bytes lost, 0 descriptors leaked");

        static void Fill(byte[] message, int connection, int round)
        {
            BitConverter.TryWriteBytes(message, connection);
            BitConverter.TryWriteBytes(message.AsSpan(4), round);
            for (int b = 8; b < message.Length; b++)
            {
                message[b] = (byte)(connection * 31 + round * 7 + b);
            }
        }
    }

    [Fact]
    public void A_client_that_reads_nothing_is_held_at_the_output_bound_while_others_are_served()
    {
        int gets = ReliabilityRun.Pick(200, 1_000);
        const int ValueBytes = 512 * 1024;
        ChildServer.WarmUp();
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        using (ChildServer server = ChildServer.Start("RespServer"))
        {
            byte[] value = new byte[ValueBytes];
            new Random(5).NextBytes(value);
            using (Socket slow = Connect(server.Endpoint))
            using (Socket other = Connect(server.Endpoint))
            {
                slow.Send(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n${ValueBytes}\r\n"));
                slow.Send(value);
                slow.Send("\r\n"u8);
                Assert.Equal("+OK\r\n", ReceiveText(slow, 5));
                long rssBefore = ResidentBytes(server.ProcessId);

                // gets x 512 KiB of replies requested at once (100 MiB in the bounded run), none read yet.
                byte[] get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n"u8.ToArray();
                slow.Send(Enumerable.Repeat(get, gets).SelectMany(g => g).ToArray());
                Thread.Sleep(1_000); // let the server fill the socket and hit its bound

                // Another client is served while the slow one is stalled, and the server sleeps rather than spins.
                TimeSpan cpuBefore = server.CpuTime();
                var wall = Stopwatch.StartNew();
                for (int i = 0; i < 20; i++)
                {
                    other.Send("*1\r\n$4\r\nPING\r\n"u8);
                    Assert.Equal("+PONG\r\n", ReceiveText(other, 7));
                    Thread.Sleep(50);
                }

                double cpuShare = (server.CpuTime() - cpuBefore) / wall.Elapsed;
                long grown = ResidentBytes(server.ProcessId) - rssBefore;
                Assert.True(cpuShare < 0.25, $"the server used {cpuShare:P0} of a CPU while one client was stalled: spinning?");
                Assert.True(grown < 48L * 1024 * 1024,
                    $"the server grew by {grown / 1024 / 1024} MiB for a client that reads nothing: the output bound did not hold");

                // Now the slow client reads everything: every reply complete and correct.
                byte[] header = Encoding.ASCII.GetBytes($"${ValueBytes}\r\n");
                var reply = new byte[header.Length + ValueBytes + 2];
                for (int i = 0; i < gets; i++)
                {
                    ReceiveExactly(slow, reply);
                    Assert.True(reply.AsSpan(0, header.Length).SequenceEqual(header), $"reply {i}: wrong header");
                    Assert.True(reply.AsSpan(header.Length, ValueBytes).SequenceEqual(value), $"reply {i}: a byte was lost or changed");
                }

                ReliabilityRun.Figure(_output, $"RespServer: slow client requested {gets} x 512 KiB = {(long)gets * (ValueBytes + header.Length + 2)} bytes and read none for 2 s; " +
                    $"server grew {grown / 1024} KiB, used {cpuShare:P1} CPU, kept serving another client; all bytes then delivered, 0 lost");
            }

            server.Signal(ChildServer.SIGTERM);
            Assert.Equal(0, server.WaitForExit(HangDetector));
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
    }

    [SkippableFact]
    public void A_server_out_of_descriptors_keeps_serving_does_not_spin_and_recovers()
    {
        Skip.If(ChildServer.FindPrlimit() is null, "prlimit (util-linux) is not installed: cannot lower the child's RLIMIT_NOFILE");
        ChildServer.WarmUp();
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        int extra = ReliabilityRun.Pick(150, 2_000);
        var held = new List<Socket>();
        int shedSeen = 0, attempts = 0, servedAfterRecovery = 0;
        try
        {
            // How many descriptors an idle RespServer holds decides the limit: room for about 40 connections.
            int idle;
            using (ChildServer probe = ChildServer.Start("RespServer"))
            {
                idle = probe.OpenDescriptorCount();
            }

            int limit = idle + 40;
            using ChildServer server = ChildServer.Start("RespServer", limit);
            _output.WriteLine($"idle server: {idle} descriptors; started under RLIMIT_NOFILE {limit}");

            // Open far more connections than fit; each one that is served answers PING, the rest are shed (closed).
            for (int i = 0; i < 40 + extra; i++)
            {
                attempts++;
                Socket client = Connect(server.Endpoint);
                if (TryPing(client))
                {
                    held.Add(client);
                }
                else
                {
                    shedSeen++;
                    client.Dispose();
                }
            }

            Assert.True(held.Count > 0, "no connection was served at all");
            Assert.True(shedSeen > 0, $"all {attempts} connections were served: the limit {limit} was never reached");
            Assert.False(server.HasExited, $"the server died out of descriptors: {server.Output}");

            // Saturated: connection attempts keep coming; the server must not spin on its readable listener.
            TimeSpan cpuBefore = server.CpuTime();
            var wall = Stopwatch.StartNew();
            while (wall.Elapsed < TimeSpan.FromSeconds(3))
            {
                attempts++;
                using Socket rejected = Connect(server.Endpoint);
                if (!TryPing(rejected))
                {
                    shedSeen++;
                }

                Thread.Sleep(20);
            }

            double cpuShare = (server.CpuTime() - cpuBefore) / wall.Elapsed;
            Assert.True(cpuShare < 0.25, $"out of descriptors, the server used {cpuShare:P0} of a CPU: spinning");

            // The connections it holds are still served.
            foreach (Socket client in held)
            {
                Assert.True(TryPing(client), "a held connection stopped being served while the server was saturated");
            }

            // Recovery: free half the slots; new connections are served again.
            int release = held.Count / 2;
            foreach (Socket client in held.Take(release))
            {
                client.Dispose();
            }

            held.RemoveRange(0, release);
            var recovery = Stopwatch.StartNew();
            while (servedAfterRecovery < release / 2 && recovery.Elapsed < HangDetector)
            {
                Socket client = Connect(server.Endpoint);
                if (TryPing(client))
                {
                    held.Add(client);
                    servedAfterRecovery++;
                }
                else
                {
                    client.Dispose();
                    Thread.Sleep(50);
                }
            }

            Assert.True(servedAfterRecovery >= release / 2, $"after {release} connections closed, only {servedAfterRecovery} new ones were served");
            foreach (Socket client in held)
            {
                client.Dispose();
            }

            held.Clear();
            server.Signal(ChildServer.SIGTERM);
            Assert.Equal(0, server.WaitForExit(HangDetector));
            ReliabilityRun.Figure(_output, $"RespServer under RLIMIT_NOFILE {limit}: {attempts} connection attempts, {shedSeen} shed while out of descriptors, " +
                $"{cpuShare:P1} CPU while saturated, held connections kept working, {servedAfterRecovery} served after recovery, exit 0");
        }
        finally
        {
            foreach (Socket client in held)
            {
                client.Dispose();
            }
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
    }

    [Fact]
    public void Sigint_during_load_stops_the_server_cleanly_with_exit_code_0()
    {
        int clientsPerThread = ReliabilityRun.Pick(50, 500);
        const int Threads = 4;
        ChildServer.WarmUp();
        int baseline = EpollFdSnapshot.Baseline();
        Dictionary<int, string> snapshot = EpollFdSnapshot.Take();
        long answered = 0;
        using (ChildServer server = ChildServer.Start("RespServer"))
        {
            using var stop = new CancellationTokenSource();
            using var loaded = new CountdownEvent(Threads);
            var failures = new List<Exception>();
            Thread[] load = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
            {
                var sockets = Enumerable.Range(0, clientsPerThread).Select(_ => Connect(server.Endpoint)).ToList();
                byte[] pipeline = Enumerable.Repeat("*1\r\n$4\r\nPING\r\n"u8.ToArray(), 16).SelectMany(p => p).ToArray();
                var reply = new byte[16 * 7];
                bool signalled = false;
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        foreach (Socket socket in sockets)
                        {
                            socket.Send(pipeline);
                        }

                        foreach (Socket socket in sockets)
                        {
                            ReceivePongs(socket, reply);
                            Interlocked.Add(ref answered, 16);
                        }

                        if (!signalled)
                        {
                            loaded.Signal();
                            signalled = true;
                        }
                    }
                }
                catch (Exception e) when (ServerWentAway(e) && stop.IsCancellationRequested)
                {
                    // Closed or reset mid-request once SIGINT was sent: the one failure stopping may cause. Wrong reply
                    // bytes, a receive timeout or anything else are never legitimate, before or after stop.
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }
                }
                finally
                {
                    if (!signalled)
                    {
                        loaded.Signal();
                    }

                    sockets.ForEach(s => s.Dispose());
                }
            }) { IsBackground = true }).ToArray();
            Array.ForEach(load, thread => thread.Start());

            Assert.True(loaded.Wait(HangDetector), "hang detector: the load never got going");
            Thread.Sleep(500);
            stop.Cancel();
            server.Signal(ChildServer.SIGINT);
            int exitCode = server.WaitForExit(HangDetector);
            Assert.All(load, thread => Assert.True(thread.Join(HangDetector), "hang detector: a load thread did not finish after the server stopped"));
            Assert.Empty(failures);
            Assert.Equal(0, exitCode);
            Assert.Contains("resp server: stopped", server.Output);
            ReliabilityRun.Figure(_output, $"RespServer: SIGINT after {Interlocked.Read(ref answered)} PINGs answered on {Threads * clientsPerThread} loaded connections: exit code 0");
        }

        EpollFdSnapshot.AssertCountReturnsTo(baseline, snapshot);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="query"/> on the loop thread (the server-side lists belong to it) and returns its value.</summary>
    private static T OnLoop<T>(LinuxIoMux.Reactor reactor, Func<T> query)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() => result.SetResult(query()));
        Assert.True(result.Task.Wait(HangDetector), "hang detector: the loop did not run a posted query");
        return result.Task.Result;
    }

    private static Socket Connect(EndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)HangDetector.TotalMilliseconds,
            NoDelay = true,
        };
        socket.Connect(endpoint);
        return socket;
    }

    /// <summary>PING and read PONG; false if the server closed or reset the connection instead (a shed connection).</summary>
    private static bool TryPing(Socket socket)
    {
        try
        {
            socket.Send("*1\r\n$4\r\nPING\r\n"u8);
            var reply = new byte[7];
            int total = 0;
            while (total < reply.Length)
            {
                int n = socket.Receive(reply, total, reply.Length - total, SocketFlags.None);
                if (n == 0)
                {
                    return false;
                }

                total += n;
            }

            Assert.Equal("+PONG\r\n", Encoding.ASCII.GetString(reply));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            return false;
        }
    }

    /// <summary>
    /// Receives a pipeline's replies into <paramref name="reply"/> and checks every byte against "+PONG\r\n" repeated;
    /// a connection that ends early must end on a correct prefix (a server stopping mid-reply may cut it short, but
    /// never garble it) and throws <see cref="ConnectionClosedException"/>.
    /// </summary>
    private static void ReceivePongs(Socket socket, byte[] reply)
    {
        ReadOnlySpan<byte> pong = "+PONG\r\n"u8;
        int total = 0;
        while (total < reply.Length)
        {
            int n = socket.Receive(reply, total, reply.Length - total, SocketFlags.None);
            for (int i = total; i < total + n; i++)
            {
                if (reply[i] != pong[i % pong.Length])
                {
                    Assert.Fail($"reply byte {i} is 0x{reply[i]:x2}, expected 0x{pong[i % pong.Length]:x2}: " +
                        $"'{Encoding.ASCII.GetString(reply, 0, total + n).ReplaceLineEndings("|")}'");
                }
            }

            if (n == 0)
            {
                throw new ConnectionClosedException($"the server closed the connection after {total} of {reply.Length} reply bytes");
            }

            total += n;
        }
    }

    /// <summary>How a connection ends when its server exits: end of stream, a reset, or EPIPE on the next send.</summary>
    private static bool ServerWentAway(Exception e) =>
        e is ConnectionClosedException
        || e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown };

    private sealed class ConnectionClosedException(string message) : Exception(message);

    private static string ReceiveText(Socket socket, int length)
    {
        var buffer = new byte[length];
        ReceiveExactly(socket, buffer);
        return Encoding.ASCII.GetString(buffer);
    }

    private static void ReceiveExactly(Socket socket, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None);
            Assert.True(n > 0, "the server closed the connection");
            total += n;
        }
    }

    private static long ResidentBytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
