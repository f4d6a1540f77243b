using System.Globalization;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Reads an epoll instance's interest list from the kernel (<c>/proc/self/fdinfo/EPFD</c>, one <c>tfd:</c> line per
/// registration), so the lifetime tests can see what the kernel holds rather than infer it from events.
/// </summary>
internal static class EpollInterestList
{
    public readonly record struct Entry(int Fd, uint Events, ulong Data);

    public static IReadOnlyList<Entry> Read(EpollHandle epoll)
    {
        int epfd = (int)epoll.DangerousGetHandle();
        var entries = new List<Entry>();
        foreach (string line in File.ReadAllLines($"/proc/self/fdinfo/{epfd}"))
        {
            // tfd:        7 events:       19 data:                2  pos:0 ino:... sdev:...
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 6 || words[0] != "tfd:")
            {
                continue;
            }

            entries.Add(new Entry(
                int.Parse(words[1], CultureInfo.InvariantCulture),
                uint.Parse(words[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(words[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }

        return entries;
    }

    /// <summary>The registered fd numbers.</summary>
    public static int[] Fds(EpollHandle epoll) => Read(epoll).Select(e => e.Fd).Order().ToArray();
}
