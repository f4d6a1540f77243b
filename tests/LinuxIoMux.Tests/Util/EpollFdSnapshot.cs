using System.Diagnostics;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// The process's open descriptors with what each one is (<c>/proc/self/fd</c> link targets), so a leak check can
/// say which descriptors appeared instead of only that the count changed.
/// </summary>
internal static class EpollFdSnapshot
{
    /// <summary>
    /// Open descriptors other than the managed assemblies and native libraries the runtime maps on first use (seen:
    /// System.Net.NameResolution.dll loaded during the TCP cycles only when the machine is busy). Those are the
    /// runtime's, opened once and kept; every kernel object a cycle creates (socket, pipe, eventpoll, eventfd) counts.
    /// </summary>
    public static int CountExceptLoadedModules() => Take().Values.Count(target => !IsLoadedModule(target));

    /// <summary>
    /// The count to compare against later. Runs pending finalizers first: a handle an earlier test left to the GC
    /// would otherwise be closed in the middle of the measured cycles and show up as a "leak" of minus one. The count
    /// afterwards is taken without that help, so a descriptor closed only by a finalizer still counts as leaked.
    /// </summary>
    public static int Baseline()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return CountExceptLoadedModules();
    }

    private static bool IsLoadedModule(string target) =>
        target.StartsWith('/') && (target.EndsWith(".dll", StringComparison.Ordinal) || target.Contains(".so", StringComparison.Ordinal));

    public static Dictionary<int, string> Take()
    {
        var open = new Dictionary<int, string>();
        foreach (string entry in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                open[int.Parse(Path.GetFileName(entry), System.Globalization.CultureInfo.InvariantCulture)] =
                    new FileInfo(entry).LinkTarget ?? "?";
            }
            catch (IOException)
            {
                // Closed while we looked (including the directory fd of this very enumeration).
            }
        }

        return open;
    }

    /// <summary>
    /// Asserts that <see cref="CountExceptLoadedModules"/> is back to <paramref name="before"/>. The count is
    /// process-wide and the runtime opens descriptors of its own now and then, so a mismatch is re-checked for a
    /// while before failing (a real leak does not go away), and the failure lists every descriptor that differs.
    /// </summary>
    public static void AssertCountReturnsTo(int before, Dictionary<int, string> snapshotBefore)
    {
        var clock = Stopwatch.StartNew();
        int after = CountExceptLoadedModules();
        while (after != before && clock.ElapsedMilliseconds < 2_000)
        {
            Thread.Sleep(50);
            after = CountExceptLoadedModules();
        }

        if (after != before)
        {
            Dictionary<int, string> now = Take();
            IEnumerable<string> added = now.Where(p => !snapshotBefore.TryGetValue(p.Key, out string? was) || was != p.Value)
                .Select(p => $"+{p.Key} -> {p.Value}");
            IEnumerable<string> removed = snapshotBefore.Where(p => !now.ContainsKey(p.Key)).Select(p => $"-{p.Key} -> {p.Value}");
            Assert.Fail($"descriptor count {before} -> {after}: {string.Join(", ", added.Concat(removed))}");
        }
    }
}
