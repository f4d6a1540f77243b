namespace LinuxIoMux.Samples.RespServer.Protocol;

/// <summary>
/// The one spelling of a 64-bit integer that redis-server accepts, wherever it reads one: multibulk counts, bulk
/// lengths, and the stored value INCR works on.
/// </summary>
/// <remarks>
/// Canonical decimal only: an optional '-', then digits with no leading zero ("0" itself excepted), within
/// <see cref="long.MinValue"/>..<see cref="long.MaxValue"/>. So "+5", "007", "-0", " 5", "5.0" and "" are not
/// integers (redis-server 7 answers "value is not an integer" or "invalid bulk length" for each). .NET's
/// <c>Utf8Parser</c> and <c>long.TryParse</c> accept several of these, which is why they are not used here: a value
/// that INCR accepts must also be the text INCR would have stored.
/// </remarks>
internal static class RespInteger
{
    /// <summary>Parses <paramref name="text"/> as a canonical signed 64-bit decimal.</summary>
    /// <returns>False if it is anything else, or out of range.</returns>
    internal static bool TryParse(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        ReadOnlySpan<byte> digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits.Length > 19 || (digits[0] == (byte)'0' && (digits.Length > 1 || negative)))
        {
            return false;
        }

        // Accumulated as a magnitude in ulong, so long.MinValue (whose magnitude long cannot hold) parses too.
        ulong magnitude = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            magnitude = magnitude * 10 + (ulong)(b - '0'); // 19 digits stay below ulong.MaxValue
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            value = unchecked((long)(0 - magnitude)); // 2^63 wraps to long.MinValue, the one value that needs it
            return true;
        }

        if (magnitude > long.MaxValue)
        {
            return false;
        }

        value = (long)magnitude;
        return true;
    }
}
