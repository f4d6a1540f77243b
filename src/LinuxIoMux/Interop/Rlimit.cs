using System.Runtime.InteropServices;

namespace LinuxIoMux.Interop;

/// <summary><c>struct rlimit</c> on 64-bit Linux: two rlim_t (unsigned long), 16 bytes (checked by the layout probe).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Rlimit
{
    internal ulong Current;
    internal ulong Maximum;
}
