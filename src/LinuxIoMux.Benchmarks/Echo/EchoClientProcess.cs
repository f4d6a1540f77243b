using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// native/echo_client driven through its phases: connect and warm up, wait (the harness reads the server's
/// allocation counter), the measured phase, then the samples. Killed on Dispose if it is still running.
/// </summary>
internal sealed class EchoClientProcess : IDisposable
{
    /// <summary>Longer than any phase: the client itself gives up after 10 s without an echo.</summary>
    private static readonly TimeSpan s_lineTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly string _samplesPath;

    private EchoClientProcess(Process process, string samplesPath)
    {
        _process = process;
        _samplesPath = samplesPath;
        _errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Starts the client against 127.0.0.1:<paramref name="port"/> and waits until its warm-up is over.</summary>
    /// <exception cref="InvalidOperationException">The client failed (its standard error is in the message).</exception>
    internal static EchoClientProcess StartAndWarmUp(string nativeDirectory, int port, int connections, int warmupMilliseconds, int measureMilliseconds)
    {
        string samples = Path.Combine(Path.GetTempPath(), $"linuxiomux-echo-{Environment.ProcessId}-{port}.bin");
        var start = new ProcessStartInfo(Path.Combine(nativeDirectory, "echo_client"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (int argument in new[] { port, connections, warmupMilliseconds, measureMilliseconds })
        {
            start.ArgumentList.Add(argument.ToString(CultureInfo.InvariantCulture));
        }

        start.ArgumentList.Add(samples);
        var client = new EchoClientProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start echo_client"), samples);
        try
        {
            client.Expect("warm");
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the measured phase; returns every round trip in microseconds, the phase's wall time and the client's own
    /// CPU time in it.
    /// </summary>
    internal (double[] RoundTripMicroseconds, double Seconds, double ClientCpuSeconds) Measure()
    {
        _process.StandardInput.WriteLine("go");
        _process.StandardInput.Flush();
        string[] done = Expect("done").Split(' ');
        long roundTrips = long.Parse(done[1], CultureInfo.InvariantCulture);
        double seconds = double.Parse(done[2], CultureInfo.InvariantCulture);
        double cpu = double.Parse(done[3], CultureInfo.InvariantCulture);
        byte[] raw = File.ReadAllBytes(_samplesPath);
        ReadOnlySpan<ulong> nanoseconds = MemoryMarshal.Cast<byte, ulong>(raw);
        if (nanoseconds.Length != roundTrips)
        {
            throw new InvalidOperationException($"echo_client reported {roundTrips} round trips but wrote {nanoseconds.Length} samples");
        }

        double[] microseconds = new double[nanoseconds.Length];
        for (int i = 0; i < microseconds.Length; i++)
        {
            microseconds[i] = nanoseconds[i] / 1000.0;
        }

        return (microseconds, seconds, cpu);
    }

    /// <summary>Closes the client's standard input (it closes its connections and exits), or kills it.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It has exited already (EPIPE): nothing left to tell it.
        }

        if (!_process.WaitForExit(s_lineTimeout))
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _errors.Wait();
        Cli.ChildProcess.DisposeWithStreams(_process);
        File.Delete(_samplesPath);
    }

    private string Expect(string word)
    {
        Task<string?> line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(s_lineTimeout) || line.Result is not { } text || !text.StartsWith(word, StringComparison.Ordinal))
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.WaitForExit();
            throw new InvalidOperationException($"echo_client did not print '{word}': {_errors.Result.Trim()}");
        }

        return text;
    }
}
