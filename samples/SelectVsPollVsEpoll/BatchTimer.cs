using System.Diagnostics;
using System.Runtime;

namespace SelectVsPollVsEpoll;

/// <summary>
/// Times a wait loop the way a careful micro-benchmark does without a harness: warm up, size a batch so that it
/// lasts a few milliseconds (far above the Stopwatch resolution), time <see cref="Batches"/> batches, and report the
/// median nanoseconds per call, which a preempted batch on a shared machine cannot drag the way it drags a mean.
/// </summary>
internal static class BatchTimer
{
    /// <summary>Batches timed per measurement; odd, so the median is one real batch.</summary>
    internal const int Batches = 25;

    /// <summary>Shortest warm-up per measurement, the same as native/waitcost's (C needs nothing more).</summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long the JIT must have compiled nothing before the timed batches start. Tiered compilation promotes a method
    /// after 30 calls, but only once no new quick-JIT code has appeared for 100 ms (the call-counting delay), and goes
    /// through an instrumented tier before the optimised one: 200 ms were not enough, methods were still being
    /// compiled during the timed batches (1 to 30 of them for select, poll and epoll, 87 to 108 for io_uring, counted
    /// with <see cref="JitInfo.GetCompiledMethodCount"/> over three runs of issue 12), so part of the managed column
    /// timed code that the C column never runs. 250 ms of silence is more than twice the delay.
    /// </summary>
    private static readonly TimeSpan s_jitQuiet = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest warm-up: a runtime that keeps compiling (another thread's work) must not stall the demo.</summary>
    private static readonly TimeSpan s_warmUpLimit = TimeSpan.FromSeconds(5);

    /// <summary>Target length of one batch: 25 of them keep one measurement near a fifth of a second.</summary>
    private static readonly TimeSpan s_batchLength = TimeSpan.FromMilliseconds(8);

    /// <summary>Returns the median cost of one call of <paramref name="loop"/>, in nanoseconds.</summary>
    internal static double MedianNanosecondsPerCall<TLoop>(TLoop loop)
        where TLoop : struct, IWaitLoop
    {
        double warmNanosecondsPerCall = WarmUp(loop);
        long iterations = Math.Max(1, (long)(s_batchLength.TotalNanoseconds / warmNanosecondsPerCall));

        var perCall = new double[Batches];
        for (int batch = 0; batch < Batches; batch++)
        {
            long start = Stopwatch.GetTimestamp();
            loop.Run(iterations);
            perCall[batch] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / iterations;
        }

        Array.Sort(perCall);
        return perCall[Batches / 2];
    }

    /// <summary>
    /// Runs doubling batches until the warm-up time has passed and the JIT has been quiet for <see cref="s_jitQuiet"/>
    /// (the code timed is then the code that stays); returns the cost per call of the last batch.
    /// </summary>
    private static double WarmUp<TLoop>(TLoop loop)
        where TLoop : struct, IWaitLoop
    {
        long began = Stopwatch.GetTimestamp();
        long compiled = JitInfo.GetCompiledMethodCount();
        long lastCompile = began;
        long iterations = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            loop.Run(iterations);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            long compiledNow = JitInfo.GetCompiledMethodCount();
            if (compiledNow != compiled)
            {
                compiled = compiledNow;
                lastCompile = Stopwatch.GetTimestamp();
            }

            TimeSpan warm = Stopwatch.GetElapsedTime(began);
            if ((warm >= s_warmUp && Stopwatch.GetElapsedTime(lastCompile) >= s_jitQuiet) || warm >= s_warmUpLimit)
            {
                return Math.Max(1, elapsed.TotalNanoseconds / iterations);
            }

            // Grow while batches are short, then keep repeating batches of about the target length.
            if (elapsed < s_batchLength)
            {
                iterations *= 2;
            }
        }
    }
}
