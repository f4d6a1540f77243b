using System.Diagnostics;

namespace LinuxIoMux.Samples;

/// <summary>What a connection does with its input after the processor consumed requests from it, whichever API drives
/// the connection (callbacks in <see cref="ProtocolConnection"/>, awaits in <see cref="AsyncProtocolConnection"/>).</summary>
internal static class RequestInput
{
    /// <summary>
    /// Drops the <paramref name="consumed"/> bytes from the front of <paramref name="input"/> and returns the new start
    /// of the request clock. The clock times one request: it starts when bytes of a request wait unanswered and
    /// restarts whenever a request is consumed. Restarting it only on an empty buffer would close a client whose every
    /// write ends one request and starts the next (issue 9, defect 8): its buffer is never empty, yet it never stalls.
    /// </summary>
    public static long Consume(byte[] input, ref int count, int consumed, long partialSince)
    {
        if (consumed > 0)
        {
            input.AsSpan(consumed, count - consumed).CopyTo(input);
            count -= consumed;
        }

        if (count == 0)
        {
            return 0;
        }

        return consumed > 0 || partialSince == 0 ? Stopwatch.GetTimestamp() : partialSince;
    }
}
