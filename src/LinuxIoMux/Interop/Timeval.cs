using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

/// <summary><c>struct timeval</c> on 64-bit Linux: two longs, 16 bytes (checked by the layout probe).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timeval
{
    internal long Seconds;
    internal long Microseconds;

    /// <summary>Whole microseconds, rounded up so a sub-microsecond wait never becomes a busy poll.</summary>
    internal static Timeval FromTicks(long ticks)
    {
        long micros = (ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond;
        return new Timeval { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
    }
}
