using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.Descriptors;

public class FdLimitsTests
{
    [Fact]
    public void Current_soft_limit_is_within_the_hard_limit_and_matches_proc()
    {
        FdLimits limits = FdLimits.Current;
        Assert.True(limits.Soft <= limits.Hard);

        // /proc/self/limits is the kernel's own rendering of the same rlimit: an independent oracle.
        string line = File.ReadLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        string[] fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(limits.Soft.ToString(), fields[0]);
        Assert.Equal(limits.IsHardUnlimited ? "unlimited" : limits.Hard.ToString(), fields[1]);
    }

    [Fact]
    public void Asking_for_no_more_than_the_soft_limit_changes_nothing()
    {
        FdLimits before = FdLimits.Current;
        Assert.True(FdLimits.TryRaiseSoftLimit(before.Soft, out FdLimits after));
        Assert.Equal(before, after);
    }

    [Fact]
    public void Raising_the_soft_limit_back_up_to_the_hard_limit_succeeds_and_is_visible()
    {
        // Lowering the soft limit needs no privilege, so lower it a little first: then raising is always testable,
        // even where soft already equals hard (as on this project's machines).
        FdLimits original = FdLimits.Current;
        ulong lowered = Math.Max((ulong)OpenDescriptors.Count() + 64, original.Soft - Math.Min(original.Soft, 16));
        SetSoftLimit(lowered, original.Hard);
        try
        {
            Assert.True(FdLimits.TryRaiseSoftLimit(original.Soft, out FdLimits after));
            Assert.Equal(original, after);
            Assert.Equal(original, FdLimits.Current);
        }
        finally
        {
            SetSoftLimit(original.Soft, original.Hard);
        }
    }

    private static unsafe void SetSoftLimit(ulong soft, ulong hard)
    {
        var limit = new Interop.Rlimit { Current = soft, Maximum = hard };
        Assert.Equal(0, Interop.LibC.setrlimit(Interop.LibC.RLIMIT_NOFILE, &limit));
    }

    [SkippableFact]
    public void Asking_beyond_the_hard_limit_fails_without_changing_anything()
    {
        FdLimits before = FdLimits.Current;
        Skip.If(before.IsHardUnlimited, "the hard limit is unlimited: there is nothing beyond it");

        Assert.False(FdLimits.TryRaiseSoftLimit(before.Hard + 1, out FdLimits after));
        Assert.Equal(before, after);
        Assert.Equal(before, FdLimits.Current);
    }
}
