using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reactor;

/// <summary>The reactor contract on select.</summary>
public sealed class SelectReactorTests(ITestOutputHelper output) : ReactorConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Select;

    /// <summary>
    /// 400, not 1000: select can only watch descriptors below 1024 (FD_SETSIZE), and both ends of every connection
    /// live in this test process, so 400 connections take about 800 descriptors, plus the test host's own (about a
    /// hundred) and the listener, waker and spare. 1000 connections would need over 2000 and select would reject them.
    /// </summary>
    protected override int ConcurrentConnections => 400;
}
