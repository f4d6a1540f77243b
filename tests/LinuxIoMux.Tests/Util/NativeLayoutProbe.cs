using System.Diagnostics;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Runs <c>native/layout</c> (sizes, offsets and constants from this machine's C headers) and returns its
/// "NAME VALUE" lines in order. Finds the program in $LINUXIOMUX_NATIVE_DIR (set by build.sh), else in
/// artifacts/native next to LinuxIoMux.sln, else compiles native/layout/layout.c with cc into a temp directory.
/// </summary>
internal static class NativeLayoutProbe
{
    private static readonly Lazy<IReadOnlyList<KeyValuePair<string, ulong>>> s_lines = new(Run);

    private static ushort s_elfMachine;

    /// <summary>The probe's lines, in the order it printed them.</summary>
    public static IReadOnlyList<KeyValuePair<string, ulong>> Lines => s_lines.Value;

    /// <summary>
    /// The ELF e_machine of the probe program that printed <see cref="Lines"/> (62 x86-64, 183 aarch64): the
    /// architecture whose C headers and ABI it describes.
    /// </summary>
    public static ushort ElfMachine
    {
        get
        {
            _ = s_lines.Value;
            return s_elfMachine;
        }
    }

    /// <summary>The value the probe printed for <paramref name="name"/>.</summary>
    public static ulong Value(string name)
    {
        foreach (KeyValuePair<string, ulong> line in Lines)
        {
            if (line.Key == name)
            {
                return line.Value;
            }
        }

        throw new KeyNotFoundException($"native/layout prints no line '{name}'.");
    }

    private static IReadOnlyList<KeyValuePair<string, ulong>> Run()
    {
        string? compiledInto = null;
        string program = Locate(ref compiledInto);
        try
        {
            // e_machine: 2 little-endian bytes at offset 18 of the ELF header.
            using (FileStream elf = File.OpenRead(program))
            {
                Span<byte> header = stackalloc byte[20];
                elf.ReadExactly(header);
                s_elfMachine = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[18..]);
            }

            return Parse(program);
        }
        finally
        {
            if (compiledInto is not null)
            {
                Directory.Delete(compiledInto, recursive: true);
            }
        }
    }

    private static List<KeyValuePair<string, ulong>> Parse(string program)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {errors}");
        }

        var lines = new List<KeyValuePair<string, ulong>>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // Names such as "sizeof(struct epoll_event)" contain a space: the value is after the last one.
            int space = line.LastIndexOf(' ');
            if (space <= 0 || !ulong.TryParse(line.AsSpan(space + 1), out ulong value))
            {
                throw new FormatException($"Unexpected line from {program}: '{line}'");
            }

            lines.Add(new(line[..space], value));
        }

        return lines;
    }

    private static string Locate(ref string? compiledInto)
    {
        string? root = RepositoryRoot.Find();
        string? source = root is null ? null : Path.Combine(root, "native", "layout", "layout.c");

        string? fromEnvironment = Environment.GetEnvironmentVariable("LINUXIOMUX_NATIVE_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment) && IsUsable(Path.Combine(fromEnvironment, "layout"), source))
        {
            return Path.Combine(fromEnvironment, "layout");
        }

        if (root is not null && IsUsable(Path.Combine(root, "artifacts", "native", "layout"), source))
        {
            return Path.Combine(root, "artifacts", "native", "layout");
        }

        if (source is null || !File.Exists(source))
        {
            throw new FileNotFoundException("native/layout is not built and native/layout/layout.c was not found above " + AppContext.BaseDirectory);
        }

        compiledInto = Directory.CreateTempSubdirectory("linuxiomux-layout-").FullName;
        return Compile(source, Path.Combine(compiledInto, "layout"));
    }

    /// <summary>A built probe older than its source would check yesterday's headers list: rebuild instead.</summary>
    private static bool IsUsable(string program, string? source) =>
        File.Exists(program) && (source is null || !File.Exists(source) || File.GetLastWriteTimeUtc(program) >= File.GetLastWriteTimeUtc(source));

    private static string Compile(string source, string program)
    {
        var start = new ProcessStartInfo("cc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", program, source })
        {
            start.ArgumentList.Add(argument);
        }

        using Process cc = Process.Start(start) ?? throw new InvalidOperationException("Could not start cc.");
        string errors = cc.StandardError.ReadToEnd();
        cc.StandardOutput.ReadToEnd();
        cc.WaitForExit();
        if (cc.ExitCode != 0)
        {
            throw new InvalidOperationException($"cc {source} failed ({cc.ExitCode}): {errors}");
        }

        return program;
    }
}
