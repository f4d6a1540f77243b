using System.Diagnostics;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Descriptors;

/// <summary>pidfd_open on real child processes started with System.Diagnostics.Process.</summary>
public class PidFdTests
{
    private static Process StartSleep(string seconds) =>
        Process.Start(new ProcessStartInfo("sleep", seconds) { UseShellExecute = false })
        ?? throw new InvalidOperationException("sleep did not start");

    [Fact]
    public void The_descriptor_becomes_readable_when_the_child_exits()
    {
        using Process child = StartSleep("30");
        try
        {
            using PidFd pidfd = PidFd.Open(child);
            Assert.Equal(child.Id, pidfd.ProcessId);
            using var epoll = EpollHandle.Create();
            epoll.Add(pidfd.Handle, EpollEvents.In, data: 4);
            EpollAssert.NoEvents(epoll);
            Assert.False(pidfd.HasExited);

            child.Kill();

            EpollEvent exited = EpollAssert.Single(epoll);
            Assert.Equal(4UL, exited.Data);
            // In once it has exited; recent kernels add Hup once it is also reaped (the runtime reaps its children).
            Assert.Equal(EpollEvents.In, exited.Events & ~EpollEvents.Hup);
            Assert.True(pidfd.HasExited);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }

    [Fact]
    public void A_child_that_exits_by_itself_is_reported_in_a_reactor()
    {
        using Process child = StartSleep("0.05");
        using PidFd pidfd = PidFd.Open(child.Id);
        using var reactor = new Reactor(MultiplexerKind.Poll);
        bool exited = false;
        reactor.Register(pidfd.Handle, Interest.Readable, (registration, readiness) =>
        {
            exited = readiness.IsReadable;
            registration.Dispose();
            reactor.Stop();
        });

        using var hangDetector = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        reactor.Run(hangDetector.Token);

        Assert.True(exited);
        Assert.True(child.WaitForExit(10_000));
        Assert.Equal(0, child.ExitCode); // the runtime still reaps the child: PidFd does not take its status
    }

    [Fact]
    public void SendSignal_reaches_the_process_and_fails_with_ESRCH_once_it_is_gone()
    {
        using Process child = StartSleep("30");
        using PidFd pidfd = PidFd.Open(child);

        pidfd.SendSignal(UnixSignal.SIGTERM);

        Assert.True(child.WaitForExit(10_000), "SIGTERM through the pidfd did not end the child");
        Assert.Equal(128 + (int)UnixSignal.SIGTERM, child.ExitCode);
        var error = Assert.Throws<UnixException>(() => pidfd.SendSignal(UnixSignal.SIGTERM));
        Assert.Equal(Errno.ESRCH, error.Errno);
        Assert.StartsWith("pidfd_send_signal(", error.Call);
    }

    [Fact]
    public void A_pid_that_cannot_exist_is_ESRCH_and_leaks_nothing()
    {
        // pid_max itself is never a pid (pids are below it), so this cannot race with a new process.
        int pidMax = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim());
        int descriptors = OpenDescriptors.Count();

        var error = Assert.Throws<UnixException>(() => PidFd.Open(pidMax));

        Assert.Equal(Errno.ESRCH, error.Errno);
        Assert.Equal($"pidfd_open(pid={pidMax}, 0)", error.Call);
        Assert.Equal(descriptors, OpenDescriptors.Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => PidFd.Open(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PidFd.Open(-1));
    }
}
