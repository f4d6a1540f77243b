using System.Buffers;
using System.IO.Pipelines;

namespace LinuxIoMux;

/// <summary>Buffers, thresholds and scheduling of a <see cref="ReactorSocketPipe"/>.</summary>
public sealed class ReactorSocketPipeOptions
{
    /// <summary>The defaults: <see cref="MemoryPool{T}.Shared"/>, 1 MiB / 64 KiB pause thresholds, application code inline.</summary>
    public static ReactorSocketPipeOptions Default { get; } = new();

    /// <summary>Where both pipes take their buffers; null means <see cref="MemoryPool{T}.Shared"/>.</summary>
    public MemoryPool<byte>? Pool { get; init; }

    /// <summary>
    /// Received bytes not yet consumed by the application at which the loop stops reading the socket (the kernel's
    /// receive buffer then fills and TCP flow control slows the peer). 1 MiB, Kestrel's default; 0 never pauses.
    /// </summary>
    public long ReceivePauseThreshold { get; init; } = 1024 * 1024;

    /// <summary>Unconsumed received bytes at which reading resumes (half the pause threshold, as Kestrel).</summary>
    public long ReceiveResumeThreshold { get; init; } = 512 * 1024;

    /// <summary>
    /// Bytes written by the application but not yet sent at which its <see cref="PipeWriter.FlushAsync"/> waits until
    /// the socket drains (a slow reader must not grow memory without bound). 64 KiB, Kestrel's default; 0 never waits.
    /// </summary>
    public long SendPauseThreshold { get; init; } = 64 * 1024;

    /// <summary>Unsent bytes at which a waiting flush resumes (half the pause threshold, as Kestrel).</summary>
    public long SendResumeThreshold { get; init; } = 32 * 1024;

    /// <summary>
    /// Where the application's continuations run: <see cref="PipeScheduler.Inline"/> (the default) runs them on the
    /// socket's loop thread as data arrives or drains; <see cref="PipeScheduler.ThreadPool"/> hands them to the pool.
    /// </summary>
    public PipeScheduler ApplicationScheduler { get; init; } = PipeScheduler.Inline;

    /// <summary>The smallest buffer one receive asks the pool for (4 KiB, the pipe's own default segment size).</summary>
    public int MinimumReceiveBufferSize { get; init; } = 4096;
}
