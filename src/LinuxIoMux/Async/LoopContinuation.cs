using System.Threading.Tasks.Sources;

namespace LinuxIoMux;

/// <summary>
/// Where a continuation of a reactor-completed <see cref="ValueTask"/> runs: inline on the loop thread, in the
/// dispatch that completed it.
/// </summary>
/// <remarks>
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> captures the current SynchronizationContext when asked to
/// (an <c>await</c> without <c>ConfigureAwait(false)</c>), and then <em>posts</em> the continuation to it. Under
/// <see cref="Reactor.Spawn(Func{Task})"/> that context is the reactor's own, so the post would cost one more loop
/// iteration and an allocation per await, for nothing: the completion already runs on that loop thread.
/// </remarks>
internal static class LoopContinuation
{
    /// <summary>The flags to hand to the core: without UseSchedulingContext when the context to capture is
    /// <paramref name="reactor"/>'s, since completing inline on its loop thread already is resuming there.</summary>
    internal static ValueTaskSourceOnCompletedFlags Flags(ValueTaskSourceOnCompletedFlags flags, Reactor reactor)
    {
        if ((flags & ValueTaskSourceOnCompletedFlags.UseSchedulingContext) != 0
            && SynchronizationContext.Current is ReactorSynchronizationContext context
            && ReferenceEquals(context.Reactor, reactor))
        {
            flags &= ~ValueTaskSourceOnCompletedFlags.UseSchedulingContext;
        }

        return flags;
    }
}
