using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

/// <summary><c>struct itimerspec</c>: the interval, then the initial expiration; 32 bytes (checked by the layout probe).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Itimerspec
{
    internal Timespec Interval;
    internal Timespec Value;
}
