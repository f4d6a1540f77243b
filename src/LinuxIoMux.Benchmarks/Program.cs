using BenchmarkDotNet.Running;
using LinuxIoMux.Benchmarks.Cli;

namespace LinuxIoMux.Benchmarks;

/// <summary>
/// Entry point. <c>report</c>, <c>scaling</c>, <c>latency</c> and <c>echo</c> run the suite behind <c>./build.sh bench</c>;
/// <c>echo-server</c> is the reactor echo server the latency run starts as a subprocess, <c>echo-bench-server</c>
/// the managed servers of the echo run; anything else goes to
/// BenchmarkDotNet's switcher, e.g.
/// <c>dotnet run -c Release --project src/LinuxIoMux.Benchmarks -- --filter '*Wrapper*' --job short</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the command that <paramref name="args"/> name; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "echo-server")
        {
            return Latency.ReactorEchoServer.Run(args[1..]); // internal: the subprocess the latency run starts
        }

        if (args.Length > 0 && args[0] == "echo-bench-server")
        {
            return Echo.EchoBenchServer.Run(args[1..]); // internal: the subprocesses the echo run starts
        }

        if (args.Length > 0 && BenchCommandLine.Owns(args[0]))
        {
            return BenchCommandLine.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
