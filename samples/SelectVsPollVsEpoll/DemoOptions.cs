using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SelectVsPollVsEpoll;

/// <summary>The command line (System.CommandLine): which numbers of socketpairs to measure.</summary>
/// <param name="Sizes">Numbers of socketpairs, measured in this order.</param>
internal sealed record DemoOptions(IReadOnlyList<int> Sizes)
{
    /// <summary>Sizes measured when <c>--sizes</c> is absent: one fd, a small server, and one past select's reach.</summary>
    internal static readonly IReadOnlyList<int> DefaultSizes = [1, 100, 1000];

    /// <summary>
    /// The largest n accepted: 2 million descriptors, above Linux's default fs.nr_open (1,048,576) already, so a larger
    /// value can only be a typo.
    /// </summary>
    internal const int MaxSize = 1_000_000;

    private const string Description = """
        Creates n Unix socketpairs, registers one end of each with select(2), poll(2) and epoll(7), makes exactly one of
        them readable, and prints the median cost of one zero-timeout wait through each (LinuxIoMux's Select.Wait,
        PollSet.Wait and EpollHandle.Wait). Also run by ./build.sh demo.

        Progress lines go to stderr; the machine header and the result table go to stdout.
        Exit codes: 0 done, 1 a measurement failed, 2 bad arguments.
        """;

    /// <summary>Parses <paramref name="args"/>; prints the help or the errors itself.</summary>
    /// <returns>The options, or null with <paramref name="exitCode"/> set: 0 after --help, 2 after bad arguments.</returns>
    internal static DemoOptions? Parse(string[] args, out int exitCode)
    {
        var sizes = new Option<int[]>("--sizes")
        {
            Description = $"comma-separated numbers of socketpairs, each 1 to {MaxSize}",
            HelpName = "N[,N...]",
            DefaultValueFactory = _ => [.. DefaultSizes],
            CustomParser = ParseSizes,
        };
        var root = new RootCommand(Description) { sizes };
        DemoOptions? options = null;
        root.SetAction(result => options = new DemoOptions(result.GetValue(sizes)!));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine($"SelectVsPollVsEpoll: {error.Message}");
            }

            Console.Error.WriteLine("Try --help for usage.");
            exitCode = 2;
            return null;
        }

        exitCode = parsed.Invoke(); // runs the action above, or prints --help / --version
        return options;
    }

    private static int[] ParseSizes(ArgumentResult result)
    {
        string list = string.Join(',', result.Tokens.Select(token => token.Value));
        string[] parts = list.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1 || size > MaxSize)
            {
                result.AddError($"--sizes: '{parts[i]}' is not a number of socketpairs from 1 to {MaxSize} (in '{list}')");
                return [];
            }

            sizes[i] = size;
        }

        return sizes;
    }
}
