using System.Globalization;

namespace SelectVsPollVsEpoll;

/// <summary>The command line: which numbers of socketpairs to measure, or a request for help.</summary>
/// <param name="Sizes">Numbers of socketpairs, measured in this order.</param>
/// <param name="ShowHelp">True when <c>--help</c> was given: print <see cref="Usage"/> and do nothing else.</param>
internal sealed record DemoOptions(IReadOnlyList<int> Sizes, bool ShowHelp)
{
    /// <summary>Sizes measured when <c>--sizes</c> is absent: one fd, a small server, and one past select's reach.</summary>
    internal static readonly IReadOnlyList<int> DefaultSizes = [1, 100, 1000];

    /// <summary>
    /// The largest n accepted: 2 million descriptors, above Linux's default fs.nr_open (1,048,576) already, so a larger
    /// value can only be a typo.
    /// </summary>
    internal const int MaxSize = 1_000_000;

    /// <summary>The help text.</summary>
    internal const string Usage = """
        Usage: SelectVsPollVsEpoll [--sizes N[,N...]] [--help]
               ./build.sh demo [--sizes N[,N...]] [--help]

        Creates n Unix socketpairs, registers one end of each with select(2), poll(2) and epoll(7), makes exactly
        one of them readable, and prints the median cost of one zero-timeout wait through each
        (LinuxIoMux's Select.Wait, PollSet.Wait and EpollHandle.Wait).

        Options:
          --sizes LIST   comma-separated numbers of socketpairs, each 1 to 1000000 (default: 1,100,1000)
          -h, --help     print this help and exit

        Progress lines go to stderr; the machine header and the result table go to stdout.
        Exit codes: 0 done, 1 a measurement failed, 2 bad arguments.
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <returns>The options, or <see langword="null"/> with <paramref name="error"/> saying what is wrong.</returns>
    internal static DemoOptions? Parse(string[] args, out string? error)
    {
        error = null;
        IReadOnlyList<int> sizes = DefaultSizes;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "-h" or "--help")
            {
                return new DemoOptions(sizes, ShowHelp: true);
            }

            string? list;
            if (arg == "--sizes")
            {
                if (i + 1 >= args.Length)
                {
                    error = "--sizes needs a value, e.g. --sizes 1,10,100";
                    return null;
                }

                list = args[++i];
            }
            else if (arg.StartsWith("--sizes=", StringComparison.Ordinal))
            {
                list = arg["--sizes=".Length..];
            }
            else
            {
                error = $"unknown argument '{arg}'";
                return null;
            }

            IReadOnlyList<int>? parsed = ParseSizes(list, out error);
            if (parsed is null)
            {
                return null;
            }

            sizes = parsed;
        }

        return new DemoOptions(sizes, ShowHelp: false);
    }

    private static int[]? ParseSizes(string list, out string? error)
    {
        error = null;
        string[] parts = list.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1 || size > MaxSize)
            {
                error = $"--sizes: '{parts[i]}' is not a number of socketpairs from 1 to {MaxSize} (in '{list}')";
                return null;
            }

            sizes[i] = size;
        }

        return sizes;
    }
}
