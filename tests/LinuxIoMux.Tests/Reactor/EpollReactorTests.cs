using LinuxIoMux.Tests.Util;
using Microsoft.Win32.SafeHandles;
using Xunit.Abstractions;
using static LinuxIoMux.Tests.ReactorLoop.ReactorTestUtil;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>The reactor contract on epoll, including edge-triggered registrations.</summary>
public sealed class EpollReactorTests(ITestOutputHelper output) : ReactorConformanceTests(output)
{
    protected override MultiplexerKind Kind => MultiplexerKind.Epoll;

    protected override bool SupportsEdgeTriggered => true;

    /// <summary>
    /// Issue 9, defect 3 (epoll only: only epoll's Modify is a syscall that can fail on a closed fd). The failed
    /// Modify dropped the fd from the multiplexer but left the registration active, and its later Dispose then removed
    /// the next registration that got the same descriptor number.
    /// </summary>
    [Fact]
    public void Failed_modify_retires_the_registration_so_its_dispose_cannot_remove_a_reuser_of_the_number()
    {
        using var reactor = new LinuxIoMux.Reactor(Kind);
        var (a, aPeer) = SocketPair.Create();
        var (b, bPeer) = SocketPair.Create();
        SafeFileHandle? reuser = null;
        try
        {
            Registration first = reactor.Register(a, Interest.Readable, static (_, _) => { });
            int number = first.Fd;
            a.Dispose(); // closed without unregistering (the caller's mistake): epoll forgets it, the table does not

            UnixException failure = Assert.Throws<UnixException>(() => first.Modify(Interest.Readable | Interest.Writable));
            Assert.Equal(Errno.EBADF, failure.Errno);
            Assert.False(first.IsActive); // the multiplexer dropped it, and the registration says so
            Assert.Equal(0, reactor.RegistrationCount);

            // A new descriptor in the same number (dup2 makes the reuse certain), registered as the second.
            Assert.Equal(number, TestLibC.dup2(b.Fd, number));
            reuser = new SafeFileHandle(number, ownsHandle: true);
            bool secondFired = false;
            using Registration second = reactor.Register(reuser, Interest.Readable, (_, _) => secondFired = true);

            first.Dispose(); // must not touch the second registration
            Assert.True(second.IsActive);
            Assert.Equal(1, reactor.RegistrationCount);
            bPeer.Write("x"u8);
            RunUntil(reactor, () => secondFired, "the second registration fires after the first one's Dispose");
        }
        finally
        {
            reuser?.Dispose();
            foreach (FileDescriptorHandle handle in new[] { a, aPeer, b, bPeer })
            {
                handle.Dispose();
            }
        }
    }
}
