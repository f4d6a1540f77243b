using System.Diagnostics;

namespace LinuxIoMux.Benchmarks.Cli;

/// <summary>Helpers for the subprocesses the suite starts (native/scaling, the echo servers).</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Closes the redirected standard streams, then the process handle. <see cref="Process.Dispose()"/> alone leaves
    /// the pipes open once a stream has been read synchronously (it assumes the caller holds a reference to it),
    /// which leaked two or three descriptors per cell until the finalizers ran.
    /// </summary>
    internal static void DisposeWithStreams(Process process)
    {
        if (process.StartInfo.RedirectStandardInput)
        {
            process.StandardInput.Dispose();
        }

        if (process.StartInfo.RedirectStandardOutput)
        {
            process.StandardOutput.Dispose();
        }

        if (process.StartInfo.RedirectStandardError)
        {
            process.StandardError.Dispose();
        }

        process.Dispose();
    }
}
