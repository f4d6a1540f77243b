using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.Diagnostics;

/// <summary>
/// The <c>LinuxIoMux</c> meter seen through a real <see cref="MeterListener"/> (what dotnet-counters and OpenTelemetry
/// use): every instrument moves with the work done, and the totals survive the reactor's Dispose.
/// </summary>
public sealed class MetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _last = new();
    private readonly List<int> _eventsPerWait = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "LinuxIoMux")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _last[instrument.Name] = value);
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            lock (_eventsPerWait)
            {
                _eventsPerWait.Add(value);
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Theory]
    [InlineData(MultiplexerKind.Epoll)]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    public void Every_reactor_instrument_counts_the_work_and_keeps_it_after_dispose(MultiplexerKind kind)
    {
        Dictionary<string, long> before = Collect();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            var reactor = new LinuxIoMux.Reactor(kind);
            int handled = 0;
            reactor.Register(a, Interest.Readable, (registration, _) =>
            {
                handled++;
                ((FileDescriptorHandle)registration.State!).Read(new byte[16]);
            }, a);
            Assert.Equal(1, Collect()["linuxiomux.reactor.registrations"] - before["linuxiomux.reactor.registrations"]);

            b.Write("xy"u8);
            RunUntil(reactor, () => handled == 1, "the handler ran");
            reactor.Post(static () => { });
            reactor.Schedule(TimeSpan.Zero, static () => { });
            reactor.RunOnce(TimeSpan.Zero);

            Dictionary<string, long> during = Collect();
            Assert.True(during["linuxiomux.reactor.waits"] - before["linuxiomux.reactor.waits"] >= 2);
            Assert.Equal(1, during["linuxiomux.reactor.events_dispatched"] - before["linuxiomux.reactor.events_dispatched"]);
            Assert.Equal(1, during["linuxiomux.reactor.posted_actions"] - before["linuxiomux.reactor.posted_actions"]);
            Assert.Equal(1, during["linuxiomux.reactor.timers_fired"] - before["linuxiomux.reactor.timers_fired"]);
            lock (_eventsPerWait)
            {
                Assert.Contains(_eventsPerWait, count => count >= 1); // the wait that reported the socketpair
            }

            reactor.Dispose();
            Dictionary<string, long> after = Collect();
            Assert.Equal(during["linuxiomux.reactor.waits"], after["linuxiomux.reactor.waits"]); // kept, never going down
            Assert.Equal(during["linuxiomux.reactor.events_dispatched"], after["linuxiomux.reactor.events_dispatched"]);
            Assert.Equal(before["linuxiomux.reactor.registrations"], after["linuxiomux.reactor.registrations"]);
        }
    }

    [Fact]
    public void Acceptor_sheds_at_EMFILE_are_counted()
    {
        using var reactor = new LinuxIoMux.Reactor(MultiplexerKind.Epoll);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var acceptor = new Acceptor(reactor, listener, static socket => socket.Dispose()) { SimulateDescriptorExhaustion = true };
        long before = Collect()["linuxiomux.acceptor.sheds"];
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        RunUntil(reactor, () => acceptor.ShedCount == 1, "the connection was shed");
        Assert.Equal(1, Collect()["linuxiomux.acceptor.sheds"] - before);
    }

    private Dictionary<string, long> Collect()
    {
        _listener.RecordObservableInstruments();
        return new Dictionary<string, long>(_last);
    }
}
