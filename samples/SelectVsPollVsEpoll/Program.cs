using System.Diagnostics;
using LinuxIoMux;

namespace SelectVsPollVsEpoll;

/// <summary>
/// Entry point: reads the arguments, prints the machine header, measures each size that fits under RLIMIT_NOFILE
/// (raising the soft limit when needed) and prints the table.
/// </summary>
internal static class Program
{
    /// <summary>Descriptors kept free besides the socketpairs and the epoll fd, for the runtime's own files.</summary>
    private const int FdHeadroom = 64;

    /// <summary>Runs the demo; returns 0 when done, 1 when a measurement failed, 2 for bad arguments.</summary>
    private static int Main(string[] args)
    {
        DemoOptions? options = DemoOptions.Parse(args, out int exitCode);
        if (options is null)
        {
            return exitCode;
        }

        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("SelectVsPollVsEpoll: epoll is Linux-only; this demo runs on Linux.");
            return 1;
        }

        Console.WriteLine("One zero-timeout wait with exactly 1 of n socketpairs readable: select vs poll vs epoll");
        MachineInfo.Collect().Write(Console.Out);
        Console.WriteLine($"Method:        median of {BatchTimer.Batches} timed batches per cell, after warm-up; lower is better.");
        Console.WriteLine("               Timings are noisy on a shared machine: compare within a row, not across runs.");
        Console.WriteLine();

        try
        {
            var table = new ResultTable();
            var nativeTable = new NativeRatioTable();
            string? nativeProgram = NativeWaitCost.Locate();
            var total = Stopwatch.StartNew();
            foreach (int n in options.Sizes)
            {
                if (EnsureDescriptorsFor(n, out string? reason))
                {
                    WaitCosts managed = WaitCostMeasurement.Measure(n, Progress);
                    table.Add(managed);
                    MeasureInC(nativeProgram, managed, nativeTable);
                }
                else
                {
                    table.AddSkipped(n, reason!);
                }
            }

            Progress($"done in {total.Elapsed.TotalSeconds:0.0} s");
            Console.Out.Flush();
            Console.WriteLine();
            table.Write(Console.Out);
            if (!nativeTable.IsEmpty)
            {
                Console.WriteLine();
                Console.WriteLine("The same calls timed in C (native/waitcost, same method, run right after each size):");
                Console.WriteLine();
                nativeTable.Write(Console.Out);
            }

            return 0;
        }
        catch (Exception exception) when (exception is WaitVerificationException or UnixException or InvalidOperationException)
        {
            Console.Error.WriteLine($"SelectVsPollVsEpoll: FAILED: {exception.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Makes room under RLIMIT_NOFILE for 2n socket ends, the epoll fd and <see cref="FdHeadroom"/>, raising the soft
    /// limit if the hard limit allows it; otherwise explains why the size is skipped.
    /// </summary>
    private static bool EnsureDescriptorsFor(int n, out string? reason)
    {
        ulong needed = (ulong)CountOpenDescriptors() + 2UL * (ulong)n + 1 + FdHeadroom;
        FdLimits before = FdLimits.Current;
        if (!FdLimits.TryRaiseSoftLimit(needed, out FdLimits after))
        {
            reason = $"needs {needed:#,0} descriptors, but the hard RLIMIT_NOFILE is {after.Hard:#,0}";
            Progress($"n={n}: skipped: {reason}. Raise the hard RLIMIT_NOFILE (ulimit -Hn as root, LimitNOFILE=, limits.conf) to measure it.");
            return false;
        }

        if (after.Soft != before.Soft)
        {
            Progress($"n={n}: raised soft RLIMIT_NOFILE from {before.Soft:#,0} to {after.Soft:#,0}");
        }

        reason = null;
        return true;
    }

    /// <summary>
    /// Times the same size in C right after the managed run (same load), the C program's watched descriptors starting
    /// at the number the managed pairs started at, so select's nfds matches; says why when there is no C program.
    /// </summary>
    private static void MeasureInC(string? program, WaitCosts managed, NativeRatioTable table)
    {
        if (program is null)
        {
            Progress($"n={managed.N}: no C column: native/waitcost not found (./build.sh build puts it in artifacts/native)");
            return;
        }

        WaitCosts native = NativeWaitCost.Measure(program, managed.N, NextFreeDescriptor());
        string select = native.SelectNanoseconds is { } ns ? $"{ns:#,0} ns" : "n/a (fd >= 1024)";
        Progress($"n={managed.N}: C       select {select}, poll {native.PollNanoseconds:#,0} ns, epoll {native.EpollNanoseconds:#,0} ns");
        table.Add(managed, native);
    }

    /// <summary>The descriptor number the kernel hands out next here (the lowest free one): where the managed pairs began.</summary>
    private static int NextFreeDescriptor()
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle probe = File.OpenHandle("/dev/null");
        return (int)probe.DangerousGetHandle();
    }

    /// <summary>Descriptors open in this process right now (entries of /proc/self/fd, minus the one listing it).</summary>
    private static int CountOpenDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length - 1;

    private static void Progress(string message) => Console.Error.WriteLine($"  .. {message}");
}
