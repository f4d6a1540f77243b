using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Signals;

/// <summary>SignalSet's bits against the kernel's: what ThreadSignalMask and sigpending(2) read back.</summary>
public class SignalSetTests
{
    [Fact]
    public void Add_Remove_and_Contains_work_on_signal_numbers()
    {
        var set = SignalSet.Of(UnixSignal.SIGTERM, UnixSignal.SIGINT);
        set.Add((UnixSignal)64);
        set.Remove(UnixSignal.SIGINT);

        Assert.True(set.Contains(UnixSignal.SIGTERM));
        Assert.False(set.Contains(UnixSignal.SIGINT));
        Assert.True(set.Contains((UnixSignal)64));
        Assert.Equal(2, set.Count);
        Assert.Equal("{SIGTERM, 64}", set.ToString());
        Assert.True(SignalSet.Empty.IsEmpty);
        Assert.Equal(64, SignalSet.All.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-15)]
    public void A_number_outside_1_to_64_is_rejected(int signal)
    {
        var set = SignalSet.Empty;
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add((UnixSignal)signal));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Contains((UnixSignal)signal));
    }

    [Fact]
    public void The_bits_are_the_kernels_a_blocked_set_reads_back_from_pthread_sigmask() => SignalThread.Run(() =>
    {
        // Signal 64 is the last bit of the kernel's 8-byte set: a layout off by a byte or a word loses it.
        var signals = SignalSet.Of(UnixSignal.SIGWINCH, UnixSignal.SIGHUP, (UnixSignal)64);
        SignalSet before = ThreadSignalMask.Get();
        Assert.False(before.Contains(UnixSignal.SIGWINCH));

        SignalSet returned = ThreadSignalMask.Block(signals);
        SignalSet after = ThreadSignalMask.Get();

        Assert.Equal(before, returned);
        foreach (UnixSignal signal in new[] { UnixSignal.SIGWINCH, UnixSignal.SIGHUP, (UnixSignal)64 })
        {
            Assert.True(after.Contains(signal), $"{signal} not blocked: the thread's mask is {after}");
        }

        ThreadSignalMask.Unblock(SignalSet.Of(UnixSignal.SIGHUP));
        Assert.False(ThreadSignalMask.Get().Contains(UnixSignal.SIGHUP));
        ThreadSignalMask.Set(before);
        Assert.Equal(before, ThreadSignalMask.Get());
    });

    [Fact]
    public void A_blocked_signal_sent_to_the_thread_is_pending_in_the_same_bit() => SignalThread.Run(() =>
    {
        SignalSet before = ThreadSignalMask.Block(SignalSet.Of(UnixSignal.SIGWINCH));
        try
        {
            Assert.False(SignalThread.Pending().Contains(UnixSignal.SIGWINCH));
            SignalThread.SendToCurrentThread(UnixSignal.SIGWINCH);
            Assert.Equal(SignalSet.Of(UnixSignal.SIGWINCH), SignalThread.Pending());
        }
        finally
        {
            using var drain = new SignalFd(SignalSet.Of(UnixSignal.SIGWINCH)); // consume it before unblocking
            drain.TryRead(out _);
            ThreadSignalMask.Set(before);
        }
    });
}
