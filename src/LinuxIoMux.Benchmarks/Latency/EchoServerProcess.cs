using System.Diagnostics;
using System.Globalization;

namespace LinuxIoMux.Benchmarks.Latency;

/// <summary>
/// An echo server running as a subprocess (native/echo_server or this program's <c>echo-server</c>): started, its
/// "listening on 127.0.0.1:PORT" line read, killed on Dispose. Its standard error is collected for the report.
/// </summary>
internal sealed class EchoServerProcess : IDisposable
{
    private const string ListeningPrefix = "listening on 127.0.0.1:";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Task<string> _errors;

    private EchoServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The loopback port it listens on.</summary>
    internal int Port { get; }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> and waits for its listening line.</summary>
    /// <exception cref="InvalidOperationException">It exited or printed something else first.</exception>
    internal static EchoServerProcess Start(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(s_startTimeout) || line.Result is not { } text || !text.StartsWith(ListeningPrefix, StringComparison.Ordinal))
        {
            process.Kill();
            process.WaitForExit();
            string errors = process.StandardError.ReadToEnd();
            Cli.ChildProcess.DisposeWithStreams(process);
            throw new InvalidOperationException($"{fileName} did not report its port: {errors.Trim()}");
        }

        return new EchoServerProcess(process, int.Parse(text[ListeningPrefix.Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>Writes <paramref name="line"/> to the server's standard input and returns the line it answers with.</summary>
    /// <exception cref="InvalidOperationException">No answer within the start timeout, or the server exited.</exception>
    internal string Request(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        Task<string?> reply = _process.StandardOutput.ReadLineAsync();
        if (!reply.Wait(s_startTimeout) || reply.Result is not { } text)
        {
            throw new InvalidOperationException($"the echo server did not answer '{line}'");
        }

        return text;
    }

    /// <summary>Stops the server and returns what it wrote to standard error.</summary>
    internal string Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.WaitForExit();
        return _errors.Result.Trim();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        Cli.ChildProcess.DisposeWithStreams(_process);
    }
}
