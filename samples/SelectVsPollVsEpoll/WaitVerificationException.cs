namespace SelectVsPollVsEpoll;

/// <summary>A wait reported something other than exactly the one readable descriptor: the measurement is void.</summary>
internal sealed class WaitVerificationException : Exception
{
    /// <summary>Creates the exception for <paramref name="backend"/> with the description of what it reported.</summary>
    internal WaitVerificationException(string backend, int n, string problem)
        : base($"{backend} with n={n}: {problem}; expected exactly 1 ready descriptor")
    {
    }
}
