using BenchmarkDotNet.Attributes;

namespace LinuxIoMux.Benchmarks;

/// <summary>
/// select's nfds, the wrapper's own work in every <see cref="Select"/> wait: <see cref="FdSet.Nfds"/> (one vectorised
/// pass over the three sets) against the three <see cref="FdSet.HighestFd"/> scans it replaced (issue 12). One read fd,
/// as in the demo at n = 1; <see cref="Fd"/> moves it from the bottom word to the top one.
/// <c>dotnet run -c Release --project src/LinuxIoMux.Benchmarks -- --filter '*Nfds*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class FdSetNfdsBenchmarks
{
    private FdSet _read;
    private FdSet _write;
    private FdSet _except;

    /// <summary>The one descriptor in the read set.</summary>
    [Params(5, 150, 1000)]
    public int Fd { get; set; }

    /// <summary>Puts <see cref="Fd"/> in the read set; the write and except sets stay empty.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _read = default;
        _read.Set(Fd);
    }

    /// <summary>The previous computation: three scans from the top, one per set.</summary>
    [Benchmark(Baseline = true)]
    public int ThreeHighestFdScans() => Math.Max(_read.HighestFd, Math.Max(_write.HighestFd, _except.HighestFd)) + 1;

    /// <summary>The current one.</summary>
    [Benchmark]
    public int Nfds() => FdSet.Nfds(ref _read, ref _write, ref _except);
}
