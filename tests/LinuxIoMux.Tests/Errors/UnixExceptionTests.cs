using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Errors;

/// <summary>The UnixException contract: <c>call: strerror text (ENAME)</c>, with the errno and the call kept apart.</summary>
public class UnixExceptionTests
{
    [Theory]
    [InlineData(Errno.EEXIST, "epoll_ctl(ADD, fd=7)", "epoll_ctl(ADD, fd=7): File exists (EEXIST)")]
    [InlineData(Errno.ENOENT, "epoll_ctl(DEL, fd=12)", "epoll_ctl(DEL, fd=12): No such file or directory (ENOENT)")]
    [InlineData(Errno.EPERM, "epoll_ctl(ADD, fd=3)", "epoll_ctl(ADD, fd=3): Operation not permitted (EPERM)")]
    [InlineData(Errno.EBADF, "epoll_wait(epfd=5, maxevents=64)", "epoll_wait(epfd=5, maxevents=64): Bad file descriptor (EBADF)")]
    [InlineData(Errno.EINVAL, "epoll_ctl(MOD, fd=9)", "epoll_ctl(MOD, fd=9): Invalid argument (EINVAL)")]
    [InlineData(Errno.EMFILE, "epoll_create1(EPOLL_CLOEXEC)", "epoll_create1(EPOLL_CLOEXEC): Too many open files (EMFILE)")]
    public void Message_reads_call_then_strerror_text_then_errno_name(Errno errno, string call, string expected)
    {
        var error = new UnixException(errno, call);

        Assert.Equal(expected, error.Message);
        Assert.Equal(errno, error.Errno);
        Assert.Equal(call, error.Call);
        Assert.Equal((int)errno, error.HResult);
    }

    [Fact]
    public void Errno_without_a_name_in_the_enum_is_shown_by_number()
    {
        var error = new UnixException((Errno)95, "epoll_ctl(ADD, fd=4)");

        Assert.Equal("epoll_ctl(ADD, fd=4): Operation not supported (errno 95)", error.Message);
        Assert.Equal(95, (int)error.Errno);
    }

    [Fact]
    public void Is_an_IOException_so_existing_IO_handlers_catch_it()
    {
        Assert.IsAssignableFrom<IOException>(new UnixException(Errno.EBADF, "close(fd=3)"));
    }

    [Fact]
    public void Thrown_by_a_real_failing_call_with_the_exact_message()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();
        epoll.Add(wake.Handle, EpollEvents.In, 0);
        int fd = wake.Handle.Fd;

        var error = Assert.Throws<UnixException>(() => epoll.Add(wake.Handle, EpollEvents.In, 0));

        Assert.Equal($"epoll_ctl(ADD, fd={fd}): File exists (EEXIST)", error.Message);
        Assert.Equal(Errno.EEXIST, error.Errno);
        Assert.Equal($"epoll_ctl(ADD, fd={fd})", error.Call);
    }

    [Fact]
    public void Errno_values_match_the_linux_kernel()
    {
        // asm-generic/errno-base.h and errno.h: the same numbers on x86-64 and arm64.
        Assert.Equal(1, (int)Errno.EPERM);
        Assert.Equal(2, (int)Errno.ENOENT);
        Assert.Equal(4, (int)Errno.EINTR);
        Assert.Equal(9, (int)Errno.EBADF);
        Assert.Equal(11, (int)Errno.EAGAIN);
        Assert.Equal(12, (int)Errno.ENOMEM);
        Assert.Equal(14, (int)Errno.EFAULT);
        Assert.Equal(17, (int)Errno.EEXIST);
        Assert.Equal(22, (int)Errno.EINVAL);
        Assert.Equal(23, (int)Errno.ENFILE);
        Assert.Equal(24, (int)Errno.EMFILE);
        Assert.Equal(28, (int)Errno.ENOSPC);
        Assert.Equal(32, (int)Errno.EPIPE);
        Assert.Equal(38, (int)Errno.ENOSYS);
        Assert.Equal(40, (int)Errno.ELOOP);
        Assert.Equal(104, (int)Errno.ECONNRESET);
    }

    [Fact]
    public void Read_of_a_reset_descriptor_throws_UnixException_naming_read()
    {
        var (a, b) = SocketPair.Create();
        using (a)
        {
            Assert.Equal(1, a.Write("x"u8)); // unread data at close makes the peer see ECONNRESET
            b.Dispose();

            var error = Assert.Throws<UnixException>(() => a.Read(new byte[4]));

            Assert.Equal(Errno.ECONNRESET, error.Errno);
            Assert.Equal($"read(fd={a.Fd}, count=4): Connection reset by peer (ECONNRESET)", error.Message);
        }
    }
}
