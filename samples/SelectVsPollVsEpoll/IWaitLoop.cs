namespace SelectVsPollVsEpoll;

/// <summary>
/// Calls one multiplexer's zero-timeout wait a given number of times and checks every result. A struct implements it
/// so <see cref="BatchTimer"/> is specialised per backend by the JIT: no delegate or virtual call inside the timing.
/// </summary>
internal interface IWaitLoop
{
    /// <summary>Performs <paramref name="iterations"/> waits.</summary>
    /// <exception cref="WaitVerificationException">A wait did not report exactly the one readable descriptor.</exception>
    void Run(long iterations);
}
