using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Pipelines;

/// <summary>The <see cref="ReactorSocketPipe"/> contract on epoll.</summary>
public sealed class EpollReactorSocketPipeTests(ITestOutputHelper output) : ReactorSocketPipeTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Epoll;
}

/// <summary>The <see cref="ReactorSocketPipe"/> contract on poll.</summary>
public sealed class PollReactorSocketPipeTests(ITestOutputHelper output) : ReactorSocketPipeTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Poll;
}

/// <summary>The <see cref="ReactorSocketPipe"/> contract on select.</summary>
public sealed class SelectReactorSocketPipeTests(ITestOutputHelper output) : ReactorSocketPipeTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Select;
}

/// <summary>The <see cref="ReactorSocketPipe"/> contract on io_uring; skipped, with the reason, where it is unavailable.</summary>
public sealed class IoUringReactorSocketPipeTests : ReactorSocketPipeTests
{
    public IoUringReactorSocketPipeTests(ITestOutputHelper output)
        : base(output)
    {
        IoUringSupport.SkipUnlessAvailable();
    }

    protected override MultiplexerKind Kind => MultiplexerKind.IoUring;
}
