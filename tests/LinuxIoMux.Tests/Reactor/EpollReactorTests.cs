using Xunit.Abstractions;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>The reactor contract on epoll, including edge-triggered registrations.</summary>
public sealed class EpollReactorTests(ITestOutputHelper output) : ReactorConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Epoll;

    protected override bool SupportsEdgeTriggered => true;
}
