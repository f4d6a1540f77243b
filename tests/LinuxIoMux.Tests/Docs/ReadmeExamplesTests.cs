using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// The code blocks of README.md, verbatim, so they keep compiling and keep doing what the README says.
/// Keep the two in step: when you change one, change the other.
/// </summary>
public class ReadmeExamplesTests
{
    [Fact]
    public void Tour_examples_run_and_print_what_the_readme_says()
    {
        string[] lines = Util.ConsoleCapture.Lines(RunTour);
        Assert.Equal("data=42 events=In", lines[0]);
        Assert.Equal("42", lines[1]);
        Assert.Matches(@"^fd \d+: In$", lines[2]);
        Assert.Equal("True", lines[3]);
        Assert.Equal("1", lines[4]);
        Assert.Equal("read 5 bytes, readable=True", lines[5]);
        Assert.Equal("echoed 5 bytes", lines[6]);
        Assert.Equal(7, lines.Length);
    }

    private static void RunTour()
    {
        RunEpollExample();

        // The later blocks continue from where the epoll block leaves off: an epoll instance watching a socket pair's
        // reader (data 42) with "ping" unread. This setup is the glue; the README blocks follow verbatim.
        using var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            epoll.Add(reader, EpollEvents.In, data: 42);
            writer.Write("ping"u8);

            using var buffer = new EpollBuffer(capacity: 256);
            int count = epoll.Wait(buffer, TimeSpan.FromMilliseconds(0.5)); // sub-ms timeouts use epoll_pwait2
            for (int i = 0; i < count; i++)
                Console.WriteLine(buffer[i].Data);

            Drain(reader);

            using var set = new PollSet();                           // owns a native pollfd array, updated in place
            set.Add(reader, PollEvents.In);                          // O(1) add, modify, swap-remove
            writer.Write("ping"u8);
            if (set.Wait(timeoutMilliseconds: 1000) > 0)
                foreach (PollFd entry in set.Entries)                // the array poll(2) wrote, read in place
                    if (entry.ReturnedEvents != PollEvents.None)
                        Console.WriteLine($"fd {entry.Fd}: {entry.ReturnedEvents}");

            Drain(reader);

            var read = new FdSet();                                  // 128 bytes, FD_SETSIZE = 1024 bits
            var write = new FdSet();
            var except = new FdSet();
            read.Set(reader.Fd);                                     // fd >= 1024 throws ArgumentOutOfRangeException
            writer.Write("ping"u8);
            int readyCount = Select.Wait(ref read, ref write, ref except, TimeSpan.FromSeconds(1));
            Console.WriteLine(read.IsSet(reader.Fd));                // True: on return the sets hold only ready fds
            Assert.Equal(1, readyCount);

            epoll.Remove(reader);

            using var wake = new EventFd();
            epoll.Add(wake.Handle, EpollEvents.In, data: 0);
            var waiter = Task.Run(() => epoll.Wait(new EpollEvent[8], timeoutMilliseconds: -1));
            wake.Signal();                                           // from any thread; signals coalesce
            Console.WriteLine(waiter.Result);                        // 1
            wake.Consume();
        }

        RunReactorExample();
        RunAsyncExample();
    }

    private static void RunEpollExample()
    {
        using var epoll = EpollHandle.Create();                 // epoll_create1(EPOLL_CLOEXEC)
        var (reader, writer) = SocketPair.Create();              // AF_UNIX stream pair, non-blocking
        using (reader)
        using (writer)
        {
            epoll.Add(reader, EpollEvents.In, data: 42);         // epoll_ctl(ADD); any SafeHandle or raw int fd
            writer.Write("ping"u8);

            Span<EpollEvent> events = stackalloc EpollEvent[64]; // your memory; the kernel writes into it
            int ready = epoll.Wait(events, timeoutMilliseconds: 1000);
            foreach (EpollEvent e in events[..ready])
                Console.WriteLine($"data={e.Data} events={e.Events}"); // data=42 events=In
        }
    }

    private static void RunReactorExample()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);  // or MultiplexerKind.Poll, MultiplexerKind.Select
        var (left, right) = SocketPair.Create();
        using (left)
        using (right)
        {
            Registration registration = reactor.Register(left, Interest.Readable, static (registration, readiness) =>
            {
                var socket = (FileDescriptorHandle)registration.State!;
                Span<byte> buffer = stackalloc byte[64];
                int n = socket.Read(buffer);                       // -1 would mean EAGAIN: wait for the next readiness
                Console.WriteLine($"read {n} bytes, readable={readiness.IsReadable}");
                registration.Reactor.Stop();
            }, state: left);

            reactor.Post(() => right.Write("hello"u8));           // Post works from any thread; the eventfd wakes the loop
            reactor.Schedule(TimeSpan.FromSeconds(5), reactor.Stop); // a timer: a safety net for this example
            reactor.Run();                                        // returns after Stop
            registration.Dispose();                               // unregister before closing the descriptor
        }
    }

    private static void RunAsyncExample()
    {
        using var loop = new Reactor(MultiplexerKind.Epoll);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        using var server = new ReactorSocket(loop, listener);
        loop.Spawn(async () =>                                    // runs on the loop thread, and so does every await in it
        {
            using ReactorSocket peer = await server.AcceptAsync();
            byte[] buffer = new byte[64];
            int n = await peer.ReceiveAsync(buffer);              // recv(2) first; waits for readiness only on EAGAIN
            await peer.SendAsync(buffer.AsMemory(0, n));          // every byte, or an exception
        });
        loop.Spawn(async () =>
        {
            using ReactorSocket socket = await ReactorSocket.ConnectAsync(loop, listener.LocalEndPoint!);
            await socket.SendAsync("hello"u8.ToArray());
            int n = await socket.ReceiveAsync(new byte[64]);
            Console.WriteLine($"echoed {n} bytes");               // echoed 5 bytes
            loop.Stop();
        });
        loop.Run();
    }

    private static void Drain(FileDescriptorHandle reader)
    {
        Span<byte> sink = stackalloc byte[64];
        while (reader.Read(sink) > 0)
        {
        }
    }
}
