using System.Text;

namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>
/// The Date header value (RFC 9110 IMF-fixdate), formatted at most once per second and shared by every response:
/// formatting it per response would allocate on the hot path.
/// </summary>
internal sealed class HttpDate
{
    private byte[] _value = [];
    private long _formattedSecond = long.MinValue;

    /// <summary>The value for now, as "Sun, 06 Nov 1994 08:49:37 GMT" bytes.</summary>
    internal ReadOnlySpan<byte> Current
    {
        get
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            long second = now.ToUnixTimeSeconds();
            if (second != _formattedSecond)
            {
                _value = Encoding.ASCII.GetBytes(now.ToString("r"));
                _formattedSecond = second;
            }

            return _value;
        }
    }
}
