// The install-and-run check of ./build.sh pack: this program is built against the LinuxIoMux package from the local
// feed (artifacts/packages), not the project, and exercises each wrapper once on real kernel objects.
using System.Runtime.Versioning;
using LinuxIoMux;

// LinuxIoMux is Linux-only ([SupportedOSPlatform("linux")]): a program that only runs on Linux says so once, which
// satisfies the platform analyzer (CA1416). A cross-platform program guards its calls with OperatingSystem.IsLinux().
[assembly: SupportedOSPlatform("linux")]

var (reader, writer) = SocketPair.Create();
using (reader)
using (writer)
{
    writer.Write("x"u8);

    using var epoll = EpollHandle.Create();
    epoll.Add(reader, EpollEvents.In, data: 7);
    Span<EpollEvent> events = stackalloc EpollEvent[4];
    int epollReady = epoll.Wait(events, 1000);

    using var set = new PollSet();
    set.Add(reader, PollEvents.In);
    int pollReady = set.Wait(1000);

    var read = new FdSet();
    var write = new FdSet();
    var except = new FdSet();
    read.Set(reader.Fd);
    int selectReady = Select.Wait(ref read, ref write, ref except, 1000);

    bool ok = epollReady == 1 && events[0].Data == 7 && pollReady == 1 && selectReady == 1;
    Console.WriteLine($"package check: epoll={epollReady} poll={pollReady} select={selectReady} -> {(ok ? "ok" : "FAILED")}");
    return ok ? 0 : 1;
}
