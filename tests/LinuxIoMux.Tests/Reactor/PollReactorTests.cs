using Xunit.Abstractions;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>The reactor contract on poll.</summary>
public sealed class PollReactorTests(ITestOutputHelper output) : ReactorConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Poll;
}
