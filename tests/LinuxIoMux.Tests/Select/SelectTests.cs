using System.Diagnostics;
using LinuxIoMux.Tests.Util;
using LibInterop = LinuxIoMux.Interop;

namespace LinuxIoMux.Tests.SelectWrapper;

public class SelectTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(20);

    [Fact]
    public void A_written_socket_is_in_the_read_set_and_an_idle_one_is_not()
    {
        var (a, b) = SocketPair.Create();
        var (c, d) = SocketPair.Create();
        using (a)
        using (b)
        using (c)
        using (d)
        {
            b.Write("x"u8);
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(a.Fd);
            read.Set(c.Fd);

            Assert.Equal(1, LinuxIoMux.Select.Wait(ref read, ref write, ref except, TimeSpan.Zero));
            Assert.True(read.IsSet(a.Fd));
            Assert.False(read.IsSet(c.Fd));
            Assert.Equal(1, read.Count);
            Assert.Equal(0, write.Count);
            Assert.Equal(0, except.Count);
        }
    }

    [Fact]
    public void Idle_sockets_are_in_the_write_set_and_a_full_one_is_not()
    {
        var (a, b) = SocketPair.Create();
        var (c, d) = SocketPair.Create();
        using (a)
        using (b)
        using (c)
        using (d)
        {
            SocketFill.UntilFull(c);
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            write.Set(a.Fd);
            write.Set(b.Fd);
            write.Set(c.Fd);

            Assert.Equal(2, LinuxIoMux.Select.Wait(ref read, ref write, ref except, 0));
            Assert.True(write.IsSet(a.Fd));
            Assert.True(write.IsSet(b.Fd));
            Assert.False(write.IsSet(c.Fd));
            Assert.Equal(2, write.Count);
        }
    }

    [Fact]
    public void The_result_counts_each_set_separately_and_keeps_only_ready_fds()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            b.Write("x"u8);
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(a.Fd);
            read.Set(b.Fd); // not readable: a wrote nothing
            write.Set(a.Fd);
            except.Set(a.Fd); // nothing exceptional on a socketpair

            Assert.Equal(2, LinuxIoMux.Select.Wait(ref read, ref write, ref except, TimeSpan.Zero));
            Assert.Equal(1, read.Count);
            Assert.True(read.IsSet(a.Fd));
            Assert.Equal(1, write.Count);
            Assert.True(write.IsSet(a.Fd));
            Assert.Equal(0, except.Count);
        }
    }

    [Fact]
    public void A_timeout_returns_zero_with_empty_sets_after_at_least_the_timeout()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(a.Fd);
            except.Set(b.Fd);

            long start = Stopwatch.GetTimestamp();
            Assert.Equal(0, LinuxIoMux.Select.Wait(ref read, ref write, ref except, TimeSpan.FromMilliseconds(40)));
            Assert.True(Stopwatch.GetElapsedTime(start) >= TimeSpan.FromMilliseconds(40));
            Assert.Equal(0, read.Count);
            Assert.Equal(0, write.Count);
            Assert.Equal(0, except.Count);
        }
    }

    [Fact]
    public void A_zero_timeout_on_empty_sets_returns_zero()
    {
        var read = new FdSet();
        var write = new FdSet();
        var except = new FdSet();
        Assert.Equal(0, LinuxIoMux.Select.Wait(ref read, ref write, ref except, 0));
    }

    [Fact]
    public void A_closed_fd_in_a_set_throws_EBADF_and_leaves_the_sets_as_they_were()
    {
        var (a, b) = SocketPair.Create();
        using (b)
        {
            int closed = a.Fd;
            a.Dispose();
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(closed);
            read.Set(b.Fd);

            var error = Assert.Throws<UnixException>(() => LinuxIoMux.Select.Wait(ref read, ref write, ref except, 0));
            Assert.Equal(Errno.EBADF, error.Errno);
            Assert.StartsWith("select(", error.Call);
            Assert.Contains("EBADF", error.Message);
            Assert.True(read.IsSet(closed));
            Assert.True(read.IsSet(b.Fd));
            Assert.Equal(2, read.Count);
        }
    }

    /// <summary>
    /// A zero-timeout select of a small set (nfds up to ZeroTimeoutLimits.SelectNfds) takes the import without the
    /// GC transition; its errno must be as precise as the general import's. A closed fd in the set is EBADF. Between
    /// the close and the select another test's new descriptor can take the number (then select just reports it), so
    /// the test tries again with a fresh one.
    /// </summary>
    [SkippableFact]
    public void A_zero_timeout_select_of_a_small_set_reports_EBADF_for_a_closed_fd()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var (a, b) = SocketPair.Create();
            using (b)
            {
                int closed = a.Fd;
                Skip.If(closed >= LibInterop.ZeroTimeoutLimits.SelectNfds,
                    $"this test host has descriptors up to {closed} open: select's zero-timeout import is not reached");
                a.Dispose();
                var read = new FdSet();
                var write = new FdSet();
                var except = new FdSet();
                read.Set(closed);
                try
                {
                    LinuxIoMux.Select.Wait(ref read, ref write, ref except, 0);
                }
                catch (UnixException error)
                {
                    Assert.Equal(Errno.EBADF, error.Errno);
                    Assert.Equal($"select(nfds={closed + 1})", error.Call);
                    return;
                }
            }
        }

        Assert.Fail("100 closed descriptor numbers were all reused before select saw them");
    }

    [Fact]
    public void A_blocked_infinite_wait_returns_when_data_arrives()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            int result = -1;
            bool readable = false;
            var waiter = new Thread(() =>
            {
                var read = new FdSet();
                var write = new FdSet();
                var except = new FdSet();
                read.Set(a.Fd);
                result = LinuxIoMux.Select.Wait(ref read, ref write, ref except, Timeout.InfiniteTimeSpan);
                readable = read.IsSet(a.Fd);
            }) { IsBackground = true };
            waiter.Start();
            Thread.Sleep(50);
            b.Write("x"u8);
            Assert.True(waiter.Join(HangDetector), "select did not return after the write");
            Assert.Equal(1, result);
            Assert.True(readable);
        }
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void Millisecond_timeouts_below_minus_one_throw(int timeout)
    {
        var read = new FdSet();
        var write = new FdSet();
        var except = new FdSet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LinuxIoMux.Select.Wait(ref read, ref write, ref except, timeout));
        Assert.Equal("timeoutMilliseconds", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(InvalidTimeouts.TimeSpans), MemberType = typeof(InvalidTimeouts))]
    public void Bad_TimeSpans_throw(TimeSpan timeout)
    {
        var read = new FdSet();
        var write = new FdSet();
        var except = new FdSet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LinuxIoMux.Select.Wait(ref read, ref write, ref except, timeout));
        Assert.Equal("timeout", error.ParamName);
    }
}
