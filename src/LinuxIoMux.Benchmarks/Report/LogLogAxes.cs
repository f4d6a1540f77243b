using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>
/// Log-scale axes for ScottPlot, which plots linear coordinates: values are plotted as log10, and the ticks are
/// placed at powers of ten (labelled with the real value) with minor ticks at 2..9 times each power.
/// </summary>
internal static class LogLogAxes
{
    /// <summary>log10 of a positive value, the coordinate to plot.</summary>
    internal static double ToCoordinate(double value) => Math.Log10(value);

    /// <summary>Puts decade ticks covering <paramref name="min"/>..<paramref name="max"/> (real values) on <paramref name="axis"/>.</summary>
    internal static void Apply(IAxis axis, double min, double max)
    {
        var ticks = new NumericManual();
        int low = (int)Math.Floor(Math.Log10(min));
        int high = (int)Math.Ceiling(Math.Log10(max));
        for (int decade = low; decade <= high; decade++)
        {
            double value = Math.Pow(10, decade);
            ticks.AddMajor(decade, value >= 1 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G", CultureInfo.InvariantCulture));
            for (int k = 2; k <= 9 && decade < high; k++)
            {
                ticks.AddMinor(Math.Log10(k * value));
            }
        }

        axis.TickGenerator = ticks;
        // The lower decade and a little room past the largest value (at least one full decade in view, so a series
        // within one decade still gets a labelled tick); the margin keeps the end markers and labels unclipped.
        axis.Min = low - 0.05;
        axis.Max = Math.Max(Math.Log10(max) + 0.08, low + 1.05);
    }
}
