namespace LinuxIoMux.Tests.Util;

/// <summary>Runs a documentation example with <see cref="Console.Out"/> captured, so a test can compare what it prints.</summary>
internal static class ConsoleCapture
{
    /// <summary>Runs <paramref name="example"/> with Console.Out captured and returns the non-empty lines.</summary>
    public static string[] Lines(Action example)
    {
        var output = new StringWriter();
        TextWriter original = Console.Out;
        Console.SetOut(output);
        try
        {
            example();
        }
        finally
        {
            Console.SetOut(original);
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
