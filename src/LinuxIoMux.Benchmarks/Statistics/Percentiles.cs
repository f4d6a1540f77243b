namespace LinuxIoMux.Benchmarks.Statistics;

/// <summary>Order statistics of a sample: the median and tail percentiles that the reports quote.</summary>
internal static class Percentiles
{
    /// <summary>
    /// The <paramref name="percentile"/>-th percentile (0..100) of <paramref name="values"/>, linearly interpolated
    /// between the two nearest ranks (the same rule as numpy's default), so the 50th of an even count is the mean of
    /// the middle two.
    /// </summary>
    /// <exception cref="ArgumentException">The sample is empty.</exception>
    internal static double Of(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("A percentile of an empty sample is undefined.", nameof(values));
        }

        double[] sorted = [.. values];
        Array.Sort(sorted);
        double rank = percentile / 100 * (sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}
