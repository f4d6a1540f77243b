namespace SelectVsPollVsEpoll;

/// <summary>
/// Calls one multiplexer's zero-timeout wait a given number of times and checks every result. A struct implements it
/// so <see cref="BatchTimer"/> is specialised per backend by the JIT: no delegate or virtual call inside the timing.
/// </summary>
/// <remarks>
/// Implementations mark <see cref="Run"/> AggressiveOptimization, so the loop is optimised code from its first call, as
/// native/waitcost's loop is: a tiered <see cref="Run"/>, called once per 8 ms batch, reached its optimised tier only
/// after the 60th call or so, and each new tier of it was compiled on the measuring thread (on-stack replacement)
/// inside a timed batch. The library's wait it calls is tiered as in any program; <see cref="BatchTimer"/>'s warm-up
/// waits until the JIT is done with it.
/// </remarks>
internal interface IWaitLoop
{
    /// <summary>Performs <paramref name="iterations"/> waits.</summary>
    /// <exception cref="WaitVerificationException">A wait did not report exactly the one readable descriptor.</exception>
    void Run(long iterations);
}
