namespace LinuxIoMux.Tests.Epoll;

/// <summary>
/// EPIOCSPARAMS/EPIOCGPARAMS on the real kernel. Skipped, naming the errno, where the kernel has no busy-poll
/// parameters (before 6.9, or CONFIG_NET_RX_BUSY_POLL off): that case is ENOTTY, which the skip itself checks.
/// </summary>
public class EpollBusyPollTests
{
    private const int CapNetAdmin = 12; // <linux/capability.h>

    private static void SkipUnlessSupported(EpollHandle epoll)
    {
        try
        {
            epoll.GetBusyPoll();
        }
        catch (UnixException e) when (e.Errno == Errno.ENOTTY)
        {
            Assert.StartsWith("ioctl(epfd=", e.Call);
            Skip.If(true, $"this kernel has no epoll busy-poll parameters: {e.Message}");
        }
    }

    private static bool HasCapability(int capability)
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:"));
        ulong effective = Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        return (effective & (1UL << capability)) != 0;
    }

    [SkippableFact]
    public void Parameters_set_on_an_instance_read_back_and_do_not_leak_to_another()
    {
        using var epoll = EpollHandle.Create();
        using var other = EpollHandle.Create();
        SkipUnlessSupported(epoll);
        EpollBusyPoll untouched = other.GetBusyPoll();

        epoll.SetBusyPoll(new EpollBusyPoll(microseconds: 50, budget: 16, preferBusyPoll: true));

        Assert.Equal(new EpollBusyPoll(50, 16, true), epoll.GetBusyPoll());
        Assert.Equal(untouched, other.GetBusyPoll());

        epoll.SetBusyPoll(new EpollBusyPoll(0, 8, false));
        Assert.Equal(new EpollBusyPoll(0, 8, false), epoll.GetBusyPoll());
    }

    [SkippableFact]
    public void Microseconds_above_int_MaxValue_are_EINVAL_and_change_nothing()
    {
        using var epoll = EpollHandle.Create();
        SkipUnlessSupported(epoll);
        epoll.SetBusyPoll(new EpollBusyPoll(10, 8, false));

        var error = Assert.Throws<UnixException>(() => epoll.SetBusyPoll(new EpollBusyPoll(uint.MaxValue, 8, false)));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Equal($"ioctl(epfd={epoll.DangerousGetHandle()}, EPIOCSPARAMS)", error.Call);
        Assert.Equal(new EpollBusyPoll(10, 8, false), epoll.GetBusyPoll());
    }

    [SkippableFact]
    public void A_budget_above_64_needs_CAP_NET_ADMIN()
    {
        using var epoll = EpollHandle.Create();
        SkipUnlessSupported(epoll);
        var large = new EpollBusyPoll(10, 65, false);

        if (HasCapability(CapNetAdmin))
        {
            epoll.SetBusyPoll(large);
            Assert.Equal(large, epoll.GetBusyPoll());
        }
        else
        {
            Assert.Equal(Errno.EPERM, Assert.Throws<UnixException>(() => epoll.SetBusyPoll(large)).Errno);
        }
    }

    [Fact]
    public void A_disposed_instance_throws_ObjectDisposedException()
    {
        var epoll = EpollHandle.Create();
        epoll.Dispose();
        Assert.Throws<ObjectDisposedException>(() => epoll.GetBusyPoll());
        Assert.Throws<ObjectDisposedException>(() => epoll.SetBusyPoll(default));
    }
}
