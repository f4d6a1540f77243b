using System.Runtime.CompilerServices;

namespace LinuxIoMux.Tests.SelectWrapper;

public unsafe class FdSetTests
{
    [Fact]
    public void An_FdSet_is_128_bytes_for_1024_descriptors()
    {
        Assert.Equal(128, sizeof(FdSet));
        Assert.Equal(128, Unsafe.SizeOf<FdSet>());
        Assert.Equal(1024, FdSet.Capacity);
    }

    [Fact]
    public void A_new_set_is_empty()
    {
        var set = new FdSet();
        Assert.Equal(0, set.Count);
        Assert.Equal(-1, set.HighestFd);
        for (int fd = 0; fd < FdSet.Capacity; fd++)
        {
            Assert.False(set.IsSet(fd));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(511)]
    [InlineData(1023)]
    public void Set_and_Clear_change_exactly_one_bit(int fd)
    {
        var set = new FdSet();
        set.Set(fd);
        Assert.True(set.IsSet(fd));
        Assert.Equal(1, set.Count);
        Assert.Equal(fd, set.HighestFd);
        for (int other = 0; other < FdSet.Capacity; other++)
        {
            Assert.Equal(other == fd, set.IsSet(other));
        }

        set.Set(fd); // idempotent, as FD_SET
        Assert.Equal(1, set.Count);

        set.Clear(fd);
        Assert.False(set.IsSet(fd));
        Assert.Equal(0, set.Count);
        Assert.Equal(-1, set.HighestFd);
        set.Clear(fd); // clearing an absent fd is fine, as FD_CLR
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void The_bits_are_glibcs_bit_fd_mod_64_of_word_fd_div_64()
    {
        var set = new FdSet();
        set.Set(0);
        set.Set(65);
        set.Set(1023);
        ulong* words = (ulong*)&set;
        Assert.Equal(1UL, words[0]);
        Assert.Equal(2UL, words[1]);
        Assert.Equal(1UL << 63, words[15]);
    }

    [Fact]
    public void Count_HighestFd_and_Zero_over_many_fds()
    {
        var set = new FdSet();
        int[] fds = { 3, 64, 100, 128, 700, 1000 };
        foreach (int fd in fds)
        {
            set.Set(fd);
        }

        Assert.Equal(fds.Length, set.Count);
        Assert.Equal(1000, set.HighestFd);
        set.Clear(1000);
        Assert.Equal(700, set.HighestFd);
        Assert.Equal(fds.Length - 1, set.Count);

        set.Zero();
        Assert.Equal(0, set.Count);
        Assert.Equal(-1, set.HighestFd);
        Assert.All(fds, fd => Assert.False(set.IsSet(fd)));
    }

    [Fact]
    public void Every_descriptor_fits()
    {
        var set = new FdSet();
        for (int fd = 0; fd < FdSet.Capacity; fd++)
        {
            set.Set(fd);
        }

        Assert.Equal(FdSet.Capacity, set.Count);
        Assert.Equal(FdSet.Capacity - 1, set.HighestFd);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(int.MaxValue)]
    public void Out_of_range_fds_throw_naming_the_1024_limit(int fd)
    {
        var set = new FdSet();
        AssertOutOfRange(() => set.Set(fd), fd);
        AssertOutOfRange(() => set.Clear(fd), fd);
        AssertOutOfRange(() => set.IsSet(fd), fd);
        Assert.Equal(0, set.Count); // nothing was written past the struct or into it
    }

    private static void AssertOutOfRange(Action action, int fd)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(action);
        Assert.Equal("fd", error.ParamName);
        Assert.Equal(fd, error.ActualValue);
        Assert.Contains("1024", error.Message);
    }
}
