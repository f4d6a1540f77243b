using System.Diagnostics;

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

    /// <summary>
    /// Warm-up per measurement. Long enough for tiered compilation to replace the quick-JIT code of the wait path with
    /// optimised code (the runtime promotes a method after 30 calls and a 100 ms quiet period).
    /// </summary>
    private static readonly TimeSpan s_warmUp = TimeSpan.FromMilliseconds(200);

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

    /// <summary>Runs doubling batches until the warm-up time has passed; returns the cost per call of the last one.</summary>
    private static double WarmUp<TLoop>(TLoop loop)
        where TLoop : struct, IWaitLoop
    {
        long began = Stopwatch.GetTimestamp();
        long iterations = 1;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            loop.Run(iterations);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            if (Stopwatch.GetElapsedTime(began) >= s_warmUp)
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
