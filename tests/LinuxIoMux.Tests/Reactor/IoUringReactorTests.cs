using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>The reactor contract on io_uring; skipped, with the reason, where io_uring is disabled or blocked.</summary>
public sealed class IoUringReactorTests : ReactorConformanceTests
{
    public IoUringReactorTests(ITestOutputHelper output)
        : base(output)
    {
        IoUringSupport.SkipUnlessAvailable();
    }

    protected override MultiplexerKind Kind => MultiplexerKind.IoUring;
}
