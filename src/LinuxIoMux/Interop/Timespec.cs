using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

/// <summary><c>struct timespec</c> on 64-bit Linux: two longs, 16 bytes (checked by the layout probe).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    internal long Seconds;
    internal long Nanoseconds;

    internal static Timespec FromTicks(long ticks) => new()
    {
        Seconds = ticks / TimeSpan.TicksPerSecond,
        Nanoseconds = ticks % TimeSpan.TicksPerSecond * TimeSpan.NanosecondsPerTick,
    };
}
