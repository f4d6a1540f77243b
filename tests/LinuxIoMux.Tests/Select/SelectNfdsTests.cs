namespace LinuxIoMux.Tests.SelectWrapper;

/// <summary>
/// select's nfds (<see cref="FdSet.Nfds"/>): one more than the highest descriptor in any of the three sets, whichever
/// holds it. Too small and the kernel ignores the descriptors above it; the wait then misses ready ones.
/// </summary>
public class SelectNfdsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(700)]
    [InlineData(1023)]
    public void Nfds_is_one_above_the_highest_fd_whichever_set_holds_it(int highest)
    {
        for (int holder = 0; holder < 3; holder++)
        {
            var sets = new FdSet[3];
            sets[(holder + 1) % 3].Set(highest / 2); // lower descriptors in the other sets must not win
            sets[holder].Set(highest);
            Assert.Equal(highest + 1, FdSet.Nfds(ref sets[0], ref sets[1], ref sets[2]));
        }
    }

    /// <summary>
    /// <see cref="FdSet.CountBelow"/> decides whether a zero-timeout select is small enough for the import without the
    /// GC transition: it must count every set bit below nfds in all three sets (too low a count would send a large set
    /// down that path) and may stop once past the limit.
    /// </summary>
    [Fact]
    public void CountBelow_counts_the_bits_of_all_three_sets_below_nfds_and_stops_past_the_limit()
    {
        FdSet read = default, write = default, except = default;
        read.Set(3);
        read.Set(64);
        write.Set(3);
        write.Set(200);
        except.Set(319);
        except.Set(500);

        Assert.Equal(6, FdSet.CountBelow(ref read, ref write, ref except, nfds: 501, stopAbove: 100));
        Assert.Equal(5, FdSet.CountBelow(ref read, ref write, ref except, nfds: 320, stopAbove: 100));
        Assert.Equal(2, FdSet.CountBelow(ref read, ref write, ref except, nfds: 64, stopAbove: 100));
        Assert.Equal(0, FdSet.CountBelow(ref read, ref write, ref except, nfds: 0, stopAbove: 100));
        Assert.True(FdSet.CountBelow(ref read, ref write, ref except, nfds: 501, stopAbove: 2) > 2);
    }

    [Fact]
    public void Nfds_of_three_empty_sets_is_zero()
    {
        FdSet read = default, write = default, except = default;
        Assert.Equal(0, FdSet.Nfds(ref read, ref write, ref except));
    }

    [Fact]
    public void Nfds_agrees_with_the_highest_of_HighestFd_over_random_sets()
    {
        var random = new Random(12);
        for (int round = 0; round < 2000; round++)
        {
            var sets = new FdSet[3];
            foreach (int set in new[] { 0, 1, 2 })
            {
                for (int bits = random.Next(4); bits > 0; bits--)
                {
                    sets[set].Set(random.Next(FdSet.Capacity));
                }
            }

            int expected = Math.Max(sets[0].HighestFd, Math.Max(sets[1].HighestFd, sets[2].HighestFd)) + 1;
            Assert.Equal(expected, FdSet.Nfds(ref sets[0], ref sets[1], ref sets[2]));
        }
    }

    [Fact]
    public void A_writable_fd_above_every_read_fd_is_reported()
    {
        var (a, b) = SocketPair.Create();
        var (c, d) = SocketPair.Create();
        using (a)
        using (b)
        using (c)
        using (d)
        {
            Assert.True(d.Fd > a.Fd, "the second pair's descriptors come after the first's");
            var read = new FdSet();
            var write = new FdSet();
            var except = new FdSet();
            read.Set(a.Fd);  // nothing to read
            write.Set(d.Fd); // an idle socket is writable; only the write set reaches this high

            Assert.Equal(1, LinuxIoMux.Select.Wait(ref read, ref write, ref except, TimeSpan.Zero));
            Assert.True(write.IsSet(d.Fd));
            Assert.Equal(0, read.Count);
        }
    }
}
