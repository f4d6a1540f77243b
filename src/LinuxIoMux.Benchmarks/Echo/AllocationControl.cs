using System.Buffers.Text;

namespace LinuxIoMux.Benchmarks.Echo;

/// <summary>
/// The managed echo servers' side of the allocation measurement: each "alloc" line on standard input is answered
/// with "allocated N", N being <see cref="GC.GetTotalAllocatedBytes(bool)"/> (precise, every thread of the process).
/// The harness asks before and after the measured phase, while no round trip is in flight, and divides the
/// difference by the round trips.
/// </summary>
/// <remarks>
/// The loop itself must allocate nothing between two answers, or its own bytes would be charged to the server: it
/// reads byte by byte into a fixed buffer and formats with <see cref="Utf8Formatter"/> into another, through the raw
/// console streams (no <see cref="TextReader"/> strings). The harness asks once before the warm-up so that whatever
/// the first answer allocates (stream setup, JIT) falls outside the measured window.
/// </remarks>
internal static class AllocationControl
{
    /// <summary>Answers "alloc" lines until standard input reaches its end.</summary>
    internal static void Serve()
    {
        using Stream input = Console.OpenStandardInput();
        using Stream output = Console.OpenStandardOutput();
        byte[] line = new byte[64];
        byte[] reply = new byte[64];
        byte[] oneByte = new byte[1];
        int length = 0;
        while (input.Read(oneByte, 0, 1) == 1)
        {
            if (oneByte[0] != (byte)'\n')
            {
                if (length < line.Length)
                {
                    line[length++] = oneByte[0];
                }

                continue;
            }

            if (line.AsSpan(0, length).SequenceEqual("alloc"u8))
            {
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                ReadOnlySpan<byte> prefix = "allocated "u8;
                prefix.CopyTo(reply);
                Utf8Formatter.TryFormat(allocated, reply.AsSpan(prefix.Length), out int written);
                reply[prefix.Length + written] = (byte)'\n';
                output.Write(reply, 0, prefix.Length + written + 1);
                output.Flush();
            }

            length = 0;
        }
    }
}
