using BenchmarkDotNet.Running;

namespace LinuxIoMux.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, so any benchmark class here can be picked by filter, e.g.
/// <c>dotnet run -c Release --project src/LinuxIoMux.Benchmarks -- --filter '*Wrapper*' --job short</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks that <paramref name="args"/> select (all, interactively, when none are given).</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
