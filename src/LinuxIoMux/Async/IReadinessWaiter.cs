namespace LinuxIoMux;

/// <summary>
/// A reactor-owned operation (<see cref="ReadinessOperation{T}"/>) waiting in a direction's slot directly, without a
/// <see cref="ValueTask{TResult}"/> of its own: the dispatch calls it, and it retries its syscall right there.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> Awaiting <see cref="Registration.WaitAsync"/> from inside an operation put a second value-task
/// layer under every suspension of a receive or send: the wait's checks, a ManualResetValueTaskSourceCore reset,
/// OnCompleted, SetResult and GetResult, the ValueTask type checks and a delegate hop, each time a request/response
/// loop waits for its next request (RespServer <c>--api async</c> at <c>redis-benchmark -P 1</c>: one suspension per
/// request). Called directly, the slot keeps everything else: one waiter per direction, cancellation posted to the
/// loop, disposal failing the wait, level-triggered interest following the waiters.</para>
/// <para>Both members run on the loop thread (or on the thread disposing a reactor whose loop does not run), once per
/// wait, after the slot stopped being pending: they may start the next wait.</para>
/// </remarks>
internal interface IReadinessWaiter
{
    /// <summary>The multiplexer reported the direction ready (or hang-up, or error): try the syscall.</summary>
    void OnReady();

    /// <summary>The wait ended without readiness: cancelled (OperationCanceledException) or disposed
    /// (ObjectDisposedException).</summary>
    void OnFailed(Exception exception);
}
