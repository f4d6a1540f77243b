using System.IO.Pipelines;

namespace LinuxIoMux;

/// <summary>
/// The <see cref="PipeScheduler"/> of a <see cref="ReactorSocketPipe"/>'s loop side: a pump's continuation is posted to
/// the loop, which runs it after the current batch of ready descriptors (from the loop thread without an eventfd wake,
/// see <see cref="Reactor.Post(Action)"/>).
/// </summary>
/// <remarks>
/// <para><b>Why not the loop's SynchronizationContext.</b> A pipe that captures a SynchronizationContext posts every
/// continuation through it, the application's too: with Kestrel inline on the loop each request went recv, a post for
/// Kestrel's read, a post for the send pump, an eventfd write and read, and another loop turn. Measured with
/// tools/profile-kestrel.sh inline: 33% of the samples under <c>Reactor.RunPosted</c>. Now the application's read
/// resumes inline in the receive pump, and only the send pump is posted.</para>
/// <para><b>Why not inline.</b> Running the send pump inside the application's <see cref="PipeWriter.FlushAsync"/>
/// sends once per flush: Kestrel flushes a JSON response twice (body, then the final chunk), and strace counted 1.58
/// sendto per request. Posted, every flush of one batch goes out in one send(2) after it.</para>
/// </remarks>
internal sealed class ReactorLoopScheduler(Reactor reactor) : PipeScheduler
{
    /// <summary>Posts <paramref name="action"/> to the loop (any thread); dropped once the reactor is disposed (the
    /// pumps' task then fails with ObjectDisposedException, as the loop's other work does).</summary>
    public override void Schedule(Action<object?> action, object? state)
    {
        try
        {
            reactor.Post(action, state);
        }
        catch (ObjectDisposedException)
        {
            // The loop that owned the socket is gone: nothing can run the pump any more.
        }
    }
}
