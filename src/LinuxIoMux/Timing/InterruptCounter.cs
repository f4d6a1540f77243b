namespace LinuxIoMux.Timing;

/// <summary>
/// Counts the EINTR retries of every wait in the process. Diagnostics only: the tests read it to prove that a
/// signal really interrupted a wait (and was retried) rather than arriving while the thread was elsewhere.
/// </summary>
internal static class InterruptCounter
{
    private static long s_retries;

    internal static long Retries => Interlocked.Read(ref s_retries);

    internal static void Increment() => Interlocked.Increment(ref s_retries);
}
