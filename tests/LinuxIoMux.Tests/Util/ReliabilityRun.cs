using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Bounded versus soak sizes for the reliability tests, and where their figures go. <c>LINUXIOMUX_SOAK=1</c> (set by
/// <c>./build.sh soak</c>) selects the long form; <c>LINUXIOMUX_FIGURES=path</c> appends each figure line to a file
/// (docs/reliability.md quotes them).
/// </summary>
internal static class ReliabilityRun
{
    /// <summary>True when the long (soak) form was asked for.</summary>
    public static bool Soak => Environment.GetEnvironmentVariable("LINUXIOMUX_SOAK") == "1";

    /// <summary><paramref name="bounded"/> in the normal run, <paramref name="soak"/> under LINUXIOMUX_SOAK=1.</summary>
    public static int Pick(int bounded, int soak) => Soak ? soak : bounded;

    /// <summary>Writes one figure line to the test output and, if LINUXIOMUX_FIGURES is set, appends it there.</summary>
    public static void Figure(ITestOutputHelper output, string line)
    {
        string text = $"{(Soak ? "soak" : "bounded")}: {line}";
        output.WriteLine(text);
        string? path = Environment.GetEnvironmentVariable("LINUXIOMUX_FIGURES");
        if (!string.IsNullOrEmpty(path))
        {
            File.AppendAllText(path, text + Environment.NewLine);
        }
    }
}
