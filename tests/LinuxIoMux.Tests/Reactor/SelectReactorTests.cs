using Xunit.Abstractions;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>The reactor contract on select.</summary>
public sealed class SelectReactorTests(ITestOutputHelper output) : ReactorConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Select;

    /// <summary>
    /// 400, not 1000: select can only watch descriptors below 1024 (FD_SETSIZE), and both ends of every connection
    /// live in this test process, so 400 connections take 800 descriptors on top of the test host's own (measured: about
    /// 160 under dotnet test) and the listener, waker and spare, peaking near fd 960. 1000 connections would need over
    /// 2000 descriptors and select would refuse the server ends. If the host ever holds more descriptors, the count
    /// shrinks to keep 32 numbers of headroom below 1024 rather than fail for a reason that is not the reactor's.
    /// </summary>
    protected override int ConcurrentConnections =>
        Math.Min(400, (FdSet.Capacity - LinuxIoMux.Tests.Util.OpenDescriptors.Count() - 32) / 2);
}
