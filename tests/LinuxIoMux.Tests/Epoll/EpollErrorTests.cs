using LinuxIoMux.Tests.Util;
using Microsoft.Win32.SafeHandles;

namespace LinuxIoMux.Tests.Epoll;

/// <summary>
/// How EpollHandle fails: argument errors before any syscall, kernel errors as UnixException naming the call and the
/// errno, the Try* methods returning the errno instead, and ObjectDisposedException after Dispose.
/// </summary>
public sealed class EpollErrorTests : IDisposable
{
    private readonly string _tempFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_tempFile);

    private static UnixException AssertUnixError(Errno expected, string call, Action action)
    {
        var error = Assert.Throws<UnixException>(action);
        Assert.Equal(expected, error.Errno);
        Assert.Equal(call, error.Call);
        Assert.StartsWith(call + ": ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"({expected})", error.Message, StringComparison.Ordinal);
        return error;
    }

    /// <summary>An fd number that was open a moment ago and is closed now.</summary>
    private static int ClosedFdNumber()
    {
        var (read, write) = Pipe.Create();
        int fd = read.Fd;
        read.Dispose();
        write.Dispose();
        Assert.False(OpenDescriptors.IsOpen(fd));
        return fd;
    }

    /// <summary>
    /// A zero-timeout wait into at most ZeroTimeoutLimits.EpollMaxEvents events takes the import without the GC transition; its
    /// errno must be as precise as the general import's. dup2 puts an eventfd under the epoll's number in one atomic
    /// step (closing the number instead would let another test's new descriptor take it), so epoll_wait sees an fd that
    /// is not an epoll instance: EINVAL.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Zero_timeout_wait_on_a_number_that_is_no_longer_an_epoll_fd_throws_EINVAL_naming_the_call(bool timeSpan)
    {
        using var epoll = EpollHandle.Create();
        using var eventFd = new EventFd();
        int epfd = (int)epoll.DangerousGetHandle();
        Assert.Equal(epfd, TestLibC.dup2(eventFd.Handle.Fd, epfd)); // the epoll handle now closes the dup
        var events = new EpollEvent[16];

        AssertUnixError(Errno.EINVAL, $"epoll_wait(epfd={epfd}, maxevents=16)",
            () => _ = timeSpan ? epoll.Wait(events, TimeSpan.Zero) : epoll.Wait(events, timeoutMilliseconds: 0));
    }

    [Fact]
    public void Negative_fd_throws_ArgumentOutOfRangeException_for_every_operation()
    {
        using var epoll = EpollHandle.Create();

        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.Add(-1, EpollEvents.In, 0));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.Modify(-1, EpollEvents.In, 0));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.Remove(-1));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.TryAdd(int.MinValue, EpollEvents.In, 0));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.TryModify(-2, EpollEvents.In, 0));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.TryRemove(-1));
    }

    [Fact]
    public void SafeHandle_holding_no_descriptor_throws_ArgumentOutOfRangeException()
    {
        using var epoll = EpollHandle.Create();
        using var invalid = new SafeFileHandle(-1, ownsHandle: false);

        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.Add(invalid, EpollEvents.In, 0));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.Modify(invalid, EpollEvents.In, 0));
        Assert.Throws<ArgumentOutOfRangeException>("fd", () => epoll.Remove(invalid));
    }

    [Fact]
    public void Null_SafeHandle_throws_ArgumentNullException()
    {
        using var epoll = EpollHandle.Create();

        Assert.Throws<ArgumentNullException>("fd", () => epoll.Add(null!, EpollEvents.In, 0));
        Assert.Throws<ArgumentNullException>("fd", () => epoll.Modify(null!, EpollEvents.In, 0));
        Assert.Throws<ArgumentNullException>("fd", () => epoll.Remove(null!));
    }

    [Fact]
    public void Add_of_a_closed_raw_fd_throws_EBADF_naming_the_call()
    {
        using var epoll = EpollHandle.Create();
        int fd = ClosedFdNumber();

        AssertUnixError(Errno.EBADF, $"epoll_ctl(ADD, fd={fd})", () => epoll.Add(fd, EpollEvents.In, 0));
        AssertUnixError(Errno.EBADF, $"epoll_ctl(MOD, fd={fd})", () => epoll.Modify(fd, EpollEvents.In, 0));
    }

    [Fact]
    public void Add_of_a_closed_SafeHandle_throws_ObjectDisposedException()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        a.Dispose();
        b.Dispose();

        Assert.Throws<ObjectDisposedException>(() => epoll.Add(a, EpollEvents.In, 0));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryAdd(a, EpollEvents.In, 0));
        Assert.Throws<ObjectDisposedException>(() => epoll.Modify(a, EpollEvents.In, 0));
    }

    [Fact]
    public void Add_of_a_regular_file_throws_EPERM()
    {
        using var epoll = EpollHandle.Create();
        using SafeFileHandle file = File.OpenHandle(_tempFile, FileMode.Open, FileAccess.Read);
        int fd = (int)file.DangerousGetHandle();

        UnixException error = AssertUnixError(Errno.EPERM, $"epoll_ctl(ADD, fd={fd})", () => epoll.Add(file, EpollEvents.In, 0));

        Assert.Equal($"epoll_ctl(ADD, fd={fd}): Operation not permitted (EPERM)", error.Message);
        Assert.Equal(Errno.EPERM, epoll.TryAdd(fd, EpollEvents.In, 0));
        Assert.Empty(EpollInterestList.Read(epoll));
    }

    [Fact]
    public void Double_Add_throws_EEXIST_naming_the_call()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            epoll.Add(a, EpollEvents.In, 1);

            UnixException error = AssertUnixError(Errno.EEXIST, $"epoll_ctl(ADD, fd={a.Fd})", () => epoll.Add(a, EpollEvents.Out, 2));
            Assert.Equal($"epoll_ctl(ADD, fd={a.Fd}): File exists (EEXIST)", error.Message);
            AssertUnixError(Errno.EEXIST, $"epoll_ctl(ADD, fd={a.Fd})", () => epoll.Add(a.Fd, EpollEvents.In, 1));

            // The first registration is untouched by the failed ones (the kernel always adds Err and Hup).
            var registered = (uint)(EpollEvents.In | EpollEvents.Err | EpollEvents.Hup);
            Assert.Equal([new EpollInterestList.Entry(a.Fd, registered, 1)], EpollInterestList.Read(epoll));
        }
    }

    [Fact]
    public void Modify_of_an_open_unregistered_fd_throws_ENOENT_and_Remove_returns_false()
    {
        using var epoll = EpollHandle.Create();
        var (a, b) = SocketPair.Create();
        using (a)
        using (b)
        {
            AssertUnixError(Errno.ENOENT, $"epoll_ctl(MOD, fd={a.Fd})", () => epoll.Modify(a, EpollEvents.In, 0));
            AssertUnixError(Errno.ENOENT, $"epoll_ctl(MOD, fd={a.Fd})", () => epoll.Modify(a.Fd, EpollEvents.In, 0));
            UnixException error = AssertUnixError(Errno.ENOENT, $"epoll_ctl(MOD, fd={a.Fd})", () => epoll.Modify(a, EpollEvents.Out, 0));
            Assert.Equal($"epoll_ctl(MOD, fd={a.Fd}): No such file or directory (ENOENT)", error.Message);

            // Remove has one contract everywhere (EpollHandle, PollSet, IMultiplexer): false when nothing was removed.
            Assert.False(epoll.Remove(a));
            Assert.False(epoll.Remove(a.Fd));
            Assert.Equal(Errno.ENOENT, epoll.TryRemove(a)); // the Try form still tells which errno
        }
    }

    [Fact]
    public void Remove_then_Remove_again_returns_false()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 0);

        Assert.True(epoll.Remove(wake.Handle));

        Assert.False(epoll.Remove(wake.Handle));
        Assert.Empty(EpollInterestList.Read(epoll));
    }

    [Fact]
    public void Exclusive_with_Modify_throws_ArgumentException_before_the_syscall()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        int closed = ClosedFdNumber();

        // Unregistered and closed fds: had the call reached the kernel it would have said ENOENT or EBADF.
        Assert.Throws<ArgumentException>("events", () => epoll.Modify(wake.Handle, EpollEvents.In | EpollEvents.Exclusive, 0));
        Assert.Throws<ArgumentException>("events", () => epoll.Modify(closed, EpollEvents.Exclusive, 0));
        Assert.Throws<ArgumentException>("events", () => epoll.TryModify(wake.Handle, EpollEvents.In | EpollEvents.Exclusive, 0));
        Assert.Throws<ArgumentException>("events", () => epoll.TryModify(closed, EpollEvents.In | EpollEvents.Exclusive, 0));
    }

    [Fact]
    public void Exclusive_with_OneShot_throws_ArgumentException_before_the_syscall()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        int closed = ClosedFdNumber();
        const EpollEvents invalid = EpollEvents.In | EpollEvents.Exclusive | EpollEvents.OneShot;

        var error = Assert.Throws<ArgumentException>("events", () => epoll.Add(wake.Handle, invalid, 0));
        Assert.Contains("OneShot", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("events", () => epoll.TryAdd(wake.Handle, invalid, 0));
        Assert.Throws<ArgumentException>("events", () => epoll.Add(closed, invalid, 0)); // not EBADF: no syscall
        Assert.Empty(EpollInterestList.Read(epoll));
    }

    [Fact]
    public void Exclusive_with_bits_the_kernel_refuses_throws_ArgumentException()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();

        var error = Assert.Throws<ArgumentException>("events",
            () => epoll.Add(wake.Handle, EpollEvents.In | EpollEvents.RdHup | EpollEvents.Exclusive, 0));
        Assert.Contains("RdHup", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("events", () => epoll.Add(wake.Handle, EpollEvents.Pri | EpollEvents.Exclusive, 0));
        Assert.Empty(EpollInterestList.Read(epoll));

        // Every allowed bit together is fine.
        epoll.Add(wake.Handle, EpollEvents.In | EpollEvents.Out | EpollEvents.Err | EpollEvents.Hup | EpollEvents.WakeUp
            | EpollEvents.EdgeTriggered | EpollEvents.Exclusive, 0);
    }

    [Fact]
    public void Wait_with_an_empty_span_throws_ArgumentException()
    {
        using var epoll = EpollHandle.Create();

        Assert.Throws<ArgumentException>("events", () => epoll.Wait(Span<EpollEvent>.Empty, 0));
        Assert.Throws<ArgumentException>("events", () => epoll.Wait(Span<EpollEvent>.Empty, -1));
        Assert.Throws<ArgumentException>("events", () => epoll.Wait(Array.Empty<EpollEvent>(), TimeSpan.Zero));
        Assert.Throws<ArgumentException>("events", () => epoll.Wait(new EpollEvent[4].AsSpan(4), Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void Wait_into_a_null_buffer_throws_ArgumentNullException()
    {
        using var epoll = EpollHandle.Create();

        Assert.Throws<ArgumentNullException>("buffer", () => epoll.Wait((EpollBuffer)null!, 0));
        Assert.Throws<ArgumentNullException>("buffer", () => epoll.Wait((EpollBuffer)null!, TimeSpan.Zero));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-1000)]
    [InlineData(int.MinValue)]
    public void Millisecond_timeout_below_minus_one_throws_ArgumentOutOfRangeException(int timeout)
    {
        using var epoll = EpollHandle.Create();
        using var buffer = new EpollBuffer(1);

        Assert.Throws<ArgumentOutOfRangeException>("timeoutMilliseconds", () => epoll.Wait(new EpollEvent[1], timeout));
        Assert.Throws<ArgumentOutOfRangeException>("timeoutMilliseconds", () => epoll.Wait(buffer, timeout));
    }

    [Theory]
    [MemberData(nameof(InvalidTimeouts.TimeSpans), MemberType = typeof(InvalidTimeouts))]
    public void TimeSpan_timeout_negative_other_than_infinite_or_beyond_int_max_ms_throws_ArgumentOutOfRangeException(TimeSpan timeout)
    {
        using var epoll = EpollHandle.Create();
        using var buffer = new EpollBuffer(1);

        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => epoll.Wait(new EpollEvent[1], timeout));
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => epoll.Wait(buffer, timeout));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void EpollBuffer_capacity_must_be_positive(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>("capacity", () => new EpollBuffer(capacity));
    }

    [Fact]
    public void EpollBuffer_index_past_the_last_wait_throws_and_a_disposed_buffer_throws_ObjectDisposedException()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 1);
        wake.Signal();
        var buffer = new EpollBuffer(4);

        Assert.Throws<ArgumentOutOfRangeException>("index", () => buffer[0]); // no wait yet
        Assert.Equal(1, epoll.Wait(buffer, 0));
        Assert.Throws<ArgumentOutOfRangeException>("index", () => buffer[1]);
        Assert.Throws<ArgumentOutOfRangeException>("index", () => buffer[-1]);

        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer[0]);
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(buffer, 0));
    }

    [Fact]
    public void Every_method_throws_ObjectDisposedException_after_Dispose()
    {
        var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        using var buffer = new EpollBuffer(4);
        var (closedA, closedB) = SocketPair.Create();
        closedA.Dispose();
        closedB.Dispose();
        int fd = wake.Handle.Fd;
        epoll.Add(wake.Handle, EpollEvents.In, 1);
        epoll.Dispose();
        Assert.True(epoll.IsClosed);
        var events = new EpollEvent[4];

        Assert.Throws<ObjectDisposedException>(() => epoll.Add(wake.Handle, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.Add(fd, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.Modify(wake.Handle, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.Modify(fd, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.Remove(wake.Handle));
        Assert.Throws<ObjectDisposedException>(() => epoll.Remove(fd));
        Assert.Throws<ObjectDisposedException>(() => epoll.Remove(closedA)); // the closed fd must not hide the disposed epoll
        Assert.Throws<ObjectDisposedException>(() => epoll.TryAdd(wake.Handle, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryAdd(fd, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryModify(wake.Handle, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryModify(fd, EpollEvents.In, 1));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryRemove(wake.Handle));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryRemove(fd));
        Assert.Throws<ObjectDisposedException>(() => epoll.TryRemove(closedA));
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(events, 0));
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(events, -1));
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(events, TimeSpan.Zero));
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(events, TimeSpan.FromTicks(5)));
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(buffer, 0));
        Assert.Throws<ObjectDisposedException>(() => epoll.Wait(buffer, Timeout.InfiniteTimeSpan));
        epoll.Dispose(); // a second Dispose is harmless
    }

    [Fact]
    public void TryAdd_TryModify_TryRemove_return_the_errno_without_throwing()
    {
        using var epoll = EpollHandle.Create();
        using SafeFileHandle file = File.OpenHandle(_tempFile, FileMode.Open, FileAccess.Read);
        var (a, b) = SocketPair.Create();
        using (b)
        {
            int closed = ClosedFdNumber();

            Assert.Equal(Errno.ENOENT, epoll.TryModify(a, EpollEvents.In, 1));
            Assert.Equal(Errno.ENOENT, epoll.TryRemove(a));
            Assert.Equal(Errno.ENOENT, epoll.TryRemove(a.Fd));
            Assert.Equal(Errno.None, epoll.TryAdd(a, EpollEvents.In, 1));
            Assert.Equal(Errno.EEXIST, epoll.TryAdd(a, EpollEvents.In, 1));
            Assert.Equal(Errno.EEXIST, epoll.TryAdd(a.Fd, EpollEvents.In, 1));
            Assert.Equal(Errno.None, epoll.TryModify(a, EpollEvents.Out, 2));
            Assert.Equal(Errno.None, epoll.TryModify(a.Fd, EpollEvents.Out, 3));
            Assert.Equal(Errno.EPERM, epoll.TryAdd(file, EpollEvents.In, 4));
            Assert.Equal(Errno.EBADF, epoll.TryAdd(closed, EpollEvents.In, 5));
            Assert.Equal(Errno.EBADF, epoll.TryModify(closed, EpollEvents.In, 5));
            Assert.Equal(Errno.EBADF, epoll.TryRemove(closed));
            Assert.Equal(Errno.None, epoll.TryRemove(a));

            a.Dispose();
            Assert.Equal(Errno.EBADF, epoll.TryRemove(a));
        }
    }

    [Fact]
    public void Adding_an_epoll_handle_to_itself_throws_EINVAL()
    {
        using var epoll = EpollHandle.Create();

        AssertUnixError(Errno.EINVAL, $"epoll_ctl(ADD, fd={(int)epoll.DangerousGetHandle()})", () => epoll.Add(epoll, EpollEvents.In, 0));
    }

    [Fact]
    public void Nested_epoll_handle_can_be_added_and_reports_In_when_its_inner_fd_is_ready()
    {
        using var outer = EpollHandle.Create();
        using var inner = EpollHandle.Create();
        using var wake = new EventFd();
        inner.Add(wake.Handle, EpollEvents.In, 1);
        outer.Add(inner, EpollEvents.In, 2);
        EpollAssert.NoEvents(outer);

        wake.Signal();

        Assert.Equal(new EpollEvent(EpollEvents.In, 2), EpollAssert.Single(outer));
        // The reverse edge would make a loop: the kernel refuses it.
        AssertUnixError(Errno.ELOOP, $"epoll_ctl(ADD, fd={(int)outer.DangerousGetHandle()})", () => inner.Add(outer, EpollEvents.In, 3));
    }
}
