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
        RuntimeSocketEngine.EnsureStarted();
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
    /// Asserts that no descriptor opened since <paramref name="snapshotBefore"/> is still open: a descriptor is new
    /// if its number was not open then or now names another object (link targets carry inode numbers, so a leaked
    /// socket that reuses a number closed meanwhile is still seen). Descriptors closed meanwhile are not a leak:
    /// process-wide, an earlier test's child-process pipes or finalizers may close some at any time (seen: 317 -> 315
    /// with a plain count). A mismatch is re-checked for a while before failing, because a closing the code under test
    /// finishes on another thread is not a leak either, and a real leak does not go away.
    /// </summary>
    public static void AssertCountReturnsTo(int before, Dictionary<int, string> snapshotBefore)
    {
        var clock = Stopwatch.StartNew();
        List<string> added = Added(snapshotBefore);
        while (added.Count > 0 && clock.ElapsedMilliseconds < 2_000)
        {
            Thread.Sleep(50);
            added = Added(snapshotBefore);
        }

        if (added.Count > 0)
        {
            string listed = string.Join(", ", added.Take(20)) + (added.Count > 20 ? $" and {added.Count - 20} more" : "");
            Assert.Fail($"descriptor count {before} -> {CountExceptLoadedModules()}, {added.Count} still open: {listed}");
        }
    }

    /// <summary>The <see cref="Baseline"/> and the snapshot to check against later, in one call.</summary>
    public static (int Count, Dictionary<int, string> Snapshot) Start() => (Baseline(), Take());

    private static List<string> Added(Dictionary<int, string> snapshotBefore) =>
        Take().Where(p => !IsLoadedModule(p.Value) && (!snapshotBefore.TryGetValue(p.Key, out string? was) || was != p.Value))
            .Select(p => $"+{p.Key} -> {p.Value}")
            .ToList();
}
