using LinuxIoMux.Tests.Util;
using LinuxIoMux;

namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// The package's README (src/LinuxIoMux/PACKAGE.md, what nuget.org shows): each C# block must appear whole and in order
/// in this file (see <see cref="CodeBlockMatcher"/>), where it runs and prints what the page says.
/// </summary>
public class PackageReadmeTests
{
    [Fact]
    public void Every_csharp_block_of_the_package_readme_is_compiled_whole_by_this_file()
    {
        string root = Util.RepositoryRoot.Require();
        List<string> blocks = CodeBlockMatcher.CSharpBlocks(File.ReadAllText(Path.Combine(root, "src/LinuxIoMux/PACKAGE.md")));
        Assert.True(blocks.Count >= 2, "PACKAGE.md should have an epoll and a reactor example.");

        string[] thisFile = File.ReadAllLines(Path.Combine(root, "tests/LinuxIoMux.Tests/Docs/PackageReadmeTests.cs"));
        string? mismatches = CodeBlockMatcher.Mismatches(blocks, thisFile, "PackageReadmeTests.cs");
        Assert.True(mismatches is null, "PACKAGE.md blocks not compiled whole by PackageReadmeTests.cs:\n" + mismatches);
    }

    [Fact]
    public async Task Package_readme_examples_print_what_the_page_says()
    {
        Assert.Equal(["1 ready: data=42 events=In"], Capture(EpollExample));
        // The example runs until its handler calls Stop: bounded here (very widely) so a broken reactor fails, not hangs.
        string[] lines = await Task.Run(() => Capture(ReactorExample)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["read 4 bytes"], lines);
    }

    private static void EpollExample()
    {
        var (reader, writer) = SocketPair.Create();     // two connected AF_UNIX sockets, non-blocking
        using (reader)
        using (writer)
        {
            using var epoll = EpollHandle.Create();
            epoll.Add(reader, EpollEvents.In, data: 42); // 42 comes back with every event for reader

            writer.Write("hi"u8);
            Span<EpollEvent> events = stackalloc EpollEvent[16];
            int ready = epoll.Wait(events, timeoutMilliseconds: 1000);
            Console.WriteLine($"{ready} ready: data={events[0].Data} events={events[0].Events}"); // 1 ready: data=42 events=In
        }
    }

    private static void ReactorExample()
    {
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            using var reactor = new Reactor(MultiplexerKind.Epoll); // or Poll, Select
            reactor.Register(reader, Interest.Readable, (registration, readiness) =>
            {
                Span<byte> buffer = stackalloc byte[64];
                Console.WriteLine($"read {reader.Read(buffer)} bytes"); // read 4 bytes
                registration.Reactor.Stop();
            });
            reactor.Schedule(TimeSpan.FromMilliseconds(10), () => writer.Write("ping"u8));
            reactor.Run();                                          // returns after Stop
        }
    }

    /// <summary>Runs <paramref name="example"/> with Console.Out captured and returns the non-empty lines.</summary>
    private static string[] Capture(Action example) => ConsoleCapture.Lines(example);
}
