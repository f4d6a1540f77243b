using LinuxIoMux.Tests.Util;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using LinuxIoMux;

namespace LinuxIoMux.Tests.Docs;

/// <summary>
/// The C# blocks of docs/*.md, verbatim, one test per page, each asserting what its page says the code prints.
/// Every block must appear here whole and in order (DocsCodeBlocksTests checks it): when you change a page, change its
/// block here too. Each block is the body of one private method, so names do not clash between blocks.
/// </summary>
public partial class DocsExamplesTests
{
    // ---------------------------------------------------------------- docs/getting-started.md

    [Fact]
    public void Getting_started_examples_print_what_the_page_says()
    {
        string[] lines = Capture(GettingStarted_FirstEpollProgram);
        Assert.Equal(["0", "1 ready: data=1 events=In", "hello"], lines);

        lines = Capture(GettingStarted_FirstReactorServer);
        Assert.Equal(["hello"], lines);
    }

    private static void GettingStarted_FirstEpollProgram()
    {
        var (reader, writer) = SocketPair.Create();     // two connected AF_UNIX sockets, non-blocking
        using (reader)
        using (writer)
        {
            using var epoll = EpollHandle.Create();     // epoll_create1(EPOLL_CLOEXEC)
            epoll.Add(reader, EpollEvents.In, data: 1); // watch reader; the 1 comes back with every event for it

            Span<EpollEvent> events = stackalloc EpollEvent[16];
            Console.WriteLine(epoll.Wait(events, timeoutMilliseconds: 0));    // 0: nothing to read yet

            writer.Write("hello"u8);
            int ready = epoll.Wait(events, timeoutMilliseconds: 1000);
            Console.WriteLine($"{ready} ready: data={events[0].Data} events={events[0].Events}"); // 1 ready: data=1 events=In

            Span<byte> buffer = stackalloc byte[64];
            int n = reader.Read(buffer);
            Console.WriteLine(Encoding.ASCII.GetString(buffer[..n]));         // hello
        }
    }

    private static void GettingStarted_FirstReactorServer()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));   // port 0: the kernel picks a free port
        listener.Listen();

        // Runs on the loop thread for each new connection; the socket arrives non-blocking.
        using var acceptor = new Acceptor(reactor, listener, socket =>
            reactor.Register(socket, Interest.Readable, Echo, state: socket));

        // A client on another thread: send "hello", read the echo, hang up.
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Task<string> client = Task.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, port);
            socket.Send("hello"u8);
            var reply = new byte[5];
            int received = 0;
            while (received < reply.Length)
                received += socket.Receive(reply, received, reply.Length - received, SocketFlags.None);
            return Encoding.ASCII.GetString(reply);
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        reactor.Run(timeout.Token);          // returns when Echo calls Stop (or after 10 s)
        Console.WriteLine(client.Result);    // hello

        static void Echo(Registration registration, Readiness readiness)
        {
            var socket = (Socket)registration.State!;
            Span<byte> buffer = stackalloc byte[4096];
            while (true)
            {
                int n = socket.ReceiveNonBlocking(buffer, out _);
                if (n == NonBlockingSocket.WouldBlock)
                    return;                                   // nothing more for now: wait for the next readiness
                if (n == 0 || n == NonBlockingSocket.Failed)
                {
                    registration.Dispose();                   // unregister first, then close
                    socket.Dispose();
                    registration.Reactor.Stop();              // this example serves one client, then ends
                    return;
                }
                socket.SendNonBlocking(buffer[..n], out _);   // simplified: a real server keeps what did not fit
            }
        }
    }

    // ---------------------------------------------------------------- docs/epoll.md

    [Fact]
    public void Epoll_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Epoll_LevelTriggered);
        Assert.Equal(["1", "1", "Out data=0x8", "True"], lines);

        lines = Capture(Epoll_EdgeTriggered);
        Assert.Equal(["1", "0", "drained 6 bytes, last Read returned -1", "0", "1"], lines);

        lines = Capture(Epoll_OneShot);
        Assert.Equal(["1", "0", "1"], lines);

        lines = Capture(Epoll_Exclusive);
        Assert.Equal(["ArgumentException", "ArgumentException", "True"], lines);

        lines = Capture(Epoll_Buffer);
        Assert.Equal(["16", RuntimeInformation.ProcessArchitecture.ToString(), "5: In", "True"], lines);
    }

    private static void Epoll_LevelTriggered()
    {
        using var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            epoll.Add(reader, EpollEvents.In, data: 7);
            writer.Write("abc"u8);

            Span<EpollEvent> events = stackalloc EpollEvent[8];
            Console.WriteLine(epoll.Wait(events, timeoutMilliseconds: 0));   // 1
            Console.WriteLine(epoll.Wait(events, timeoutMilliseconds: 0));   // 1 again: level-triggered, still unread

            epoll.Modify(reader, EpollEvents.Out, data: 8);                  // now wait for writability instead
            epoll.Wait(events, timeoutMilliseconds: 0);
            Console.WriteLine(events[0]);                                     // Out data=0x8
            Console.WriteLine(epoll.Remove(reader));                          // True
        }
    }

    private static void Epoll_EdgeTriggered()
    {
        using var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            epoll.Add(reader, EpollEvents.In | EpollEvents.EdgeTriggered, data: 1);
            Span<EpollEvent> events = stackalloc EpollEvent[8];
            Span<byte> chunk = stackalloc byte[4];

            writer.Write("0123456789"u8);
            Console.WriteLine(epoll.Wait(events, 0));   // 1: the edge from "nothing to read" to "data"
            reader.Read(chunk);                          // reads 4 of the 10 bytes, then stops: the mistake
            Console.WriteLine(epoll.Wait(events, 0));   // 0: 6 bytes are still queued, but there is no new edge

            // The rule: read until Read returns -1 (EAGAIN), and only then wait again.
            int total = 0, n;
            while ((n = reader.Read(chunk)) > 0)
                total += n;
            Console.WriteLine($"drained {total} bytes, last Read returned {n}"); // drained 6 bytes, last Read returned -1

            Console.WriteLine(epoll.Wait(events, 0));   // 0: nothing new
            writer.Write("x"u8);
            Console.WriteLine(epoll.Wait(events, 0));   // 1: new data is a new edge
        }
    }

    private static void Epoll_OneShot()
    {
        using var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            Span<EpollEvent> events = stackalloc EpollEvent[8];
            epoll.Add(reader, EpollEvents.In | EpollEvents.OneShot, data: 3);
            writer.Write("a"u8);
            Console.WriteLine(epoll.Wait(events, 0));   // 1
            Console.WriteLine(epoll.Wait(events, 0));   // 0: disarmed after one event, though still readable
            epoll.Modify(reader, EpollEvents.In | EpollEvents.OneShot, data: 3);   // re-arm
            Console.WriteLine(epoll.Wait(events, 0));   // 1
        }
    }

    private static void Epoll_Exclusive()
    {
        using var first = EpollHandle.Create();
        using var second = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            first.Add(reader, EpollEvents.In | EpollEvents.Exclusive, data: 1);    // Linux 4.5 or later; ADD only
            second.Add(reader, EpollEvents.In | EpollEvents.Exclusive, data: 2);

            try
            {
                first.Modify(reader, EpollEvents.In | EpollEvents.Exclusive, data: 1);
            }
            catch (ArgumentException e)
            {
                Console.WriteLine(e.GetType().Name);    // ArgumentException: the kernel would say EINVAL
            }

            try
            {
                first.Add(writer, EpollEvents.In | EpollEvents.Exclusive | EpollEvents.OneShot, data: 3);
            }
            catch (ArgumentException e)
            {
                Console.WriteLine(e.GetType().Name);    // ArgumentException: checked before the syscall
            }

            writer.Write("x"u8);
            Span<EpollEvent> events = stackalloc EpollEvent[8];
            int woken = first.Wait(events, 0) + second.Wait(events, 0);
            Console.WriteLine(woken >= 1);               // True: one or more of the instances got the event
        }
    }

    private static void Epoll_Buffer()
    {
        using var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            Console.WriteLine(Unsafe.SizeOf<EpollEvent>());            // 16 on every architecture
            Console.WriteLine(RuntimeInformation.ProcessArchitecture); // X64: the kernel writes 12-byte records

            using var buffer = new EpollBuffer(capacity: 64);           // the kernel's own layout, read in place
            epoll.Add(reader, EpollEvents.In, data: 5);
            writer.Write("x"u8);
            int count = epoll.Wait(buffer, TimeSpan.FromMilliseconds(0.5)); // not whole ms: epoll_pwait2 (Linux 5.11)
            for (int i = 0; i < count; i++)
                Console.WriteLine($"{buffer[i].Data}: {buffer[i].Events}"); // 5: In
            Console.WriteLine(buffer.Count == count);                    // True
        }
    }

    // ---------------------------------------------------------------- docs/poll.md

    [Fact]
    public void Poll_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Poll_Set);
        Assert.Equal(["1", "pipe readable", "2", "1 True False"], lines);

        lines = Capture(Poll_ClosedDescriptor);
        Assert.Equal(["1", "Nval", "0"], lines);
    }

    private static void Poll_Set()
    {
        var (socket, peer) = SocketPair.Create();
        var (pipeRead, pipeWrite) = Pipe.Create();
        using (socket)
        using (peer)
        using (pipeRead)
        using (pipeWrite)
        {
            using var set = new PollSet();
            set.Add(socket, PollEvents.In);
            set.Add(pipeRead, PollEvents.In);
            pipeWrite.Write("x"u8);

            int ready = set.Wait(timeoutMilliseconds: 1000);        // poll(2)
            Console.WriteLine(ready);                               // 1
            foreach (PollFd entry in set.Entries)                   // the array the kernel wrote, in place
                if (entry.ReturnedEvents != PollEvents.None)
                    Console.WriteLine(entry.Fd == pipeRead.Fd ? "pipe readable" : "socket readable"); // pipe readable

            set.Modify(socket, PollEvents.In | PollEvents.Out);     // also wait until the socket can be written
            Console.WriteLine(set.Wait(TimeSpan.FromMilliseconds(0.5))); // 2: not whole ms, so ppoll(2)

            set.Remove(pipeRead);                                   // the last entry moves into the hole
            Console.WriteLine($"{set.Count} {set.Contains(socket.Fd)} {set.Contains(pipeRead.Fd)}"); // 1 True False
        }
    }

    private static void Poll_ClosedDescriptor()
    {
        using var set = new PollSet();
        var (read, write) = Pipe.Create();
        set.Add(read, PollEvents.In);
        write.Dispose();
        read.Dispose();                                 // closed while still in the set

        Console.WriteLine(set.Wait(timeoutMilliseconds: 0));   // 1: the wait itself does not fail...
        Console.WriteLine(set.Entries[0].ReturnedEvents);      // Nval: ...the entry says "not an open fd"
        set.Remove(read);                               // a closed SafeHandle still knows its number
        Console.WriteLine(set.Count);                   // 0
    }

    // ---------------------------------------------------------------- docs/select.md

    [Fact]
    public void Select_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Select_Sets);
        Assert.Matches(@"^2 fds, highest \d+$", lines[0]);
        Assert.Equal(["1 ready: reader True, writer False", "0 ready, 0 left in the read set"], lines[1..]);

        lines = Capture(Select_Limit);
        Assert.Equal(["1024", "fd", "1023 True"], lines);
    }

    private static void Select_Sets()
    {
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            var watched = new FdSet();                  // what we watch; never handed to select itself
            watched.Set(reader.Fd);
            watched.Set(writer.Fd);
            Console.WriteLine($"{watched.Count} fds, highest {watched.HighestFd}");   // 2 fds, highest 5 (say)

            writer.Write("x"u8);
            FdSet read = watched;                       // a copy: select overwrites the sets it is given
            var write = new FdSet();
            var except = new FdSet();
            int ready = Select.Wait(ref read, ref write, ref except, TimeSpan.FromSeconds(1));
            Console.WriteLine($"{ready} ready: reader {read.IsSet(reader.Fd)}, writer {read.IsSet(writer.Fd)}"); // 1 ready: reader True, writer False

            Span<byte> sink = stackalloc byte[16];
            reader.Read(sink);                          // consume the byte: nothing is readable now
            read = watched;                             // copy again before every wait
            ready = Select.Wait(ref read, ref write, ref except, timeoutMilliseconds: 10);
            Console.WriteLine($"{ready} ready, {read.Count} left in the read set");   // 0 ready, 0 left in the read set
        }
    }

    private static void Select_Limit()
    {
        var set = new FdSet();
        Console.WriteLine(FdSet.Capacity);              // 1024: FD_SETSIZE
        try
        {
            set.Set(FdSet.Capacity);                    // fd 1024: undefined behaviour in C, an exception here
        }
        catch (ArgumentOutOfRangeException e)
        {
            Console.WriteLine(e.ParamName);             // fd
        }

        set.Set(FdSet.Capacity - 1);
        Console.WriteLine($"{set.HighestFd} {set.IsSet(1023)}");   // 1023 True
    }

    // ---------------------------------------------------------------- docs/descriptors.md

    [Fact]
    public void Descriptors_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Descriptors_SocketPair);
        Assert.Equal(["-1", "2", "0", "True"], lines);

        lines = Capture(Descriptors_Pipe);
        Assert.Equal(["EPIPE"], lines);

        lines = Capture(Descriptors_EventFd);
        Assert.Equal(["1", "3", "0"], lines);

        lines = Capture(Descriptors_Limits);
        Assert.Equal(["True"], lines);
    }

    private static void Descriptors_SocketPair()
    {
        var (first, second) = SocketPair.Create();     // socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC)
        using (first)
        {
            Span<byte> buffer = stackalloc byte[16];
            Console.WriteLine(first.Read(buffer));       // -1: nothing to read yet (EAGAIN), no exception
            second.Write("hi"u8);
            Console.WriteLine(first.Read(buffer));       // 2
            second.Dispose();                            // close(2) the other end
            Console.WriteLine(first.Read(buffer));       // 0: end of stream
            Console.WriteLine(second.IsClosed);          // True
        }
    }

    private static void Descriptors_Pipe()
    {
        var (readEnd, writeEnd) = Pipe.Create();        // pipe2(O_NONBLOCK | O_CLOEXEC)
        using (writeEnd)
        {
            readEnd.Dispose();
            try
            {
                writeEnd.Write("x"u8);                   // nobody can ever read it
            }
            catch (UnixException e)
            {
                Console.WriteLine(e.Errno);              // EPIPE: .NET ignores SIGPIPE, so the error comes back
            }
        }
    }

    private static void Descriptors_EventFd()
    {
        using var epoll = EpollHandle.Create();
        using var wake = new EventFd();                 // eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)
        epoll.Add(wake.Handle, EpollEvents.In, data: 0);

        wake.Signal();
        wake.Signal();
        wake.Signal();
        Console.WriteLine(epoll.Wait(new EpollEvent[4], timeoutMilliseconds: 0));   // 1: one readable fd
        Console.WriteLine(wake.Consume());              // 3: the signals added up
        Console.WriteLine(wake.Consume());              // 0: and Consume reset the counter
    }

    private static void Descriptors_Limits()
    {
        FdLimits limits = FdLimits.Current;             // getrlimit(RLIMIT_NOFILE)
        Console.WriteLine(limits.Soft <= limits.Hard);  // True
    }

    // ---------------------------------------------------------------- docs/reactor.md

    [Fact]
    public void Reactor_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Reactor_RegisterPostStop);
        Assert.Equal(["Readable: 5 bytes"], lines);

        lines = Capture(Reactor_Timers);
        Assert.Equal(["True", "10 ms, 200 ms", "0"], lines);

        lines = Capture(Reactor_HandlerExceptions);
        Assert.Equal(["reported: boom", "the loop goes on"], lines);

        lines = Capture(Reactor_DisposedInTheSameBatch);
        Assert.Equal(["1"], lines);

        lines = Capture(Reactor_Group);
        Assert.Equal(["hi", "hi", "hi", "hi", "4"], lines);
    }

    private static void Reactor_RegisterPostStop()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            reactor.Register(reader, Interest.Readable, static (registration, readiness) =>
            {
                var fd = (FileDescriptorHandle)registration.State!;  // per-registration state: no closure needed
                Span<byte> buffer = stackalloc byte[64];
                int n = fd.Read(buffer);
                Console.WriteLine($"{readiness}: {n} bytes");        // Readable: 5 bytes
                registration.Dispose();                             // unregister before the fd is closed
                registration.Reactor.Stop();
            }, state: reader);

            // Another thread: Post (like Stop and ReactorTimer.Cancel) is safe from anywhere.
            var producer = new Thread(() => reactor.Post(() => writer.Write("hello"u8)));
            producer.Start();
            reactor.Run();                                          // until the handler calls Stop
            producer.Join();
        }
    }

    private static void Reactor_Timers()
    {
        using var reactor = new Reactor(MultiplexerKind.Poll);
        var fired = new List<string>();
        reactor.Schedule(TimeSpan.FromMilliseconds(200), () => fired.Add("200 ms"));
        reactor.Schedule(TimeSpan.FromMilliseconds(10), () => fired.Add("10 ms"));
        ReactorTimer cancelled = reactor.Schedule(TimeSpan.FromMilliseconds(5), () => fired.Add("never"));
        Console.WriteLine(cancelled.Cancel());                      // True: it had not started
        reactor.Schedule(TimeSpan.FromMilliseconds(300), reactor.Stop);

        reactor.Run();                                              // each wait ends when the next timer is due
        Console.WriteLine(string.Join(", ", fired));                // 10 ms, 200 ms
        Console.WriteLine(reactor.RunOnce(TimeSpan.Zero));          // 0: no callbacks left to run
    }

    private static void Reactor_HandlerExceptions()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        reactor.UnhandledException += (_, e) => Console.WriteLine($"reported: {((Exception)e.ExceptionObject).Message}");
        reactor.Post(() => throw new InvalidOperationException("boom"));
        reactor.Post(() => Console.WriteLine("the loop goes on"));
        reactor.RunOnce(TimeSpan.Zero);
    }

    private static void Reactor_DisposedInTheSameBatch()
    {
        using var reactor = new Reactor(MultiplexerKind.Epoll);
        var (a, aPeer) = SocketPair.Create();
        var (b, bPeer) = SocketPair.Create();
        using (a)
        using (aPeer)
        using (b)
        using (bPeer)
        {
            Registration? first = null, second = null;
            int calls = 0;
            first = reactor.Register(a, Interest.Readable, (_, _) => { calls++; second!.Dispose(); });
            second = reactor.Register(b, Interest.Readable, (_, _) => { calls++; first!.Dispose(); });
            aPeer.Write("x"u8);
            bPeer.Write("x"u8);

            reactor.RunOnce(TimeSpan.FromSeconds(1));   // one wait reports both descriptors...
            Console.WriteLine(calls);                   // 1: ...the first handler disposes the other, which is skipped
        }
    }

    private static void Reactor_Group()
    {
        using var group = new ReactorGroup(MultiplexerKind.Epoll, new IPEndPoint(IPAddress.Loopback, 0),
            (reactor, socket) =>
            {
                // On loop i's thread with loop i's reactor: register the socket there, or (here) answer and close.
                socket.SendNonBlocking("hi\n"u8, out _);
                socket.Dispose();
            },
            loopCount: 2);
        group.Start();

        for (int i = 0; i < 4; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(group.LocalEndPoint);
            var buffer = new byte[16];
            string reply = "";
            int n;
            while ((n = client.Receive(buffer)) > 0)        // until the server closes
                reply += Encoding.ASCII.GetString(buffer, 0, n);
            Console.WriteLine(reply.Trim());                // hi
        }

        group.Stop();                                       // every loop has returned: counters are safe to read
        Console.WriteLine(group.Acceptors.Sum(acceptor => acceptor.AcceptedCount));   // 4
    }

    // ---------------------------------------------------------------- docs/choosing.md

    [Fact]
    public void Choosing_example_prints_what_the_page_says()
    {
        string[] lines = Capture(Choosing_SameCodeEveryBackend);
        string[] expected = ["Epoll: Readable", "Poll: Readable", "Select: Readable"];
        Assert.Equal(Multiplexer.IsSupported(MultiplexerKind.IoUring) ? [.. expected, "IoUring: Readable"] : expected, lines);
    }

    private static void Choosing_SameCodeEveryBackend()
    {
        foreach (MultiplexerKind kind in Enum.GetValues<MultiplexerKind>().Where(Multiplexer.IsSupported))
        {
            using var reactor = new Reactor(kind);
            var (reader, writer) = SocketPair.Create();
            using (reader)
            using (writer)
            {
                using Registration registration = reactor.Register(reader, Interest.Readable,
                    (_, readiness) => Console.WriteLine($"{kind}: {readiness}"));
                writer.Write("x"u8);
                reactor.RunOnce(TimeSpan.FromSeconds(1));   // Epoll: Readable, Poll: Readable, Select: Readable, IoUring: Readable
            }
        }
    }

    // ---------------------------------------------------------------- docs/io_uring.md

    [Fact]
    public void IoUring_example_prints_what_the_page_says()
    {
        string[] lines = Capture(IoUring_FallBackToEpoll);
        Assert.Equal(["Readable"], lines);
    }

    private static void IoUring_FallBackToEpoll()
    {
        MultiplexerKind kind = Multiplexer.IsSupported(MultiplexerKind.IoUring) ? MultiplexerKind.IoUring : MultiplexerKind.Epoll;
        using var reactor = new Reactor(kind);
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            using Registration registration = reactor.Register(reader, Interest.Readable, (_, readiness) => Console.WriteLine(readiness));
            writer.Write("x"u8);
            reactor.RunOnce(TimeSpan.FromSeconds(1));   // Readable (on io_uring where it runs, else on epoll)
        }
    }

    // ---------------------------------------------------------------- docs/errors.md

    [Fact]
    public void Errors_examples_print_what_the_page_says()
    {
        string[] lines = Capture(Errors_UnixException);
        Assert.Equal("EEXIST", lines[0]);
        Assert.Matches(@"^epoll_ctl\(ADD, fd=\d+\)$", lines[1]);
        Assert.Matches(@"^epoll_ctl\(ADD, fd=\d+\): File exists \(EEXIST\)$", lines[2]);
        Assert.Equal(["True", "EEXIST", "ENOENT", "EEXIST"], lines[3..]);

        lines = Capture(Errors_ArgumentsBeforeSyscalls);
        Assert.Equal(
            ["ArgumentOutOfRangeException", "ArgumentException", "ArgumentException", "ArgumentOutOfRangeException", "NotSupportedException"],
            lines);

        lines = Capture(Errors_ClosedAndDisposed);
        Assert.Equal(["False", "EBADF", "ObjectDisposedException"], lines);
    }

    private static void Errors_UnixException()
    {
        using var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            epoll.Add(reader, EpollEvents.In, data: 1);
            try
            {
                epoll.Add(reader, EpollEvents.In, data: 1);                      // already registered
            }
            catch (UnixException e)
            {
                Console.WriteLine(e.Errno);                                      // EEXIST
                Console.WriteLine(e.Call);                                       // epoll_ctl(ADD, fd=7)
                Console.WriteLine(e.Message);                                    // epoll_ctl(ADD, fd=7): File exists (EEXIST)
                Console.WriteLine(e is IOException);                             // True
            }

            Console.WriteLine(epoll.TryAdd(reader, EpollEvents.In, data: 1));    // EEXIST, returned, not thrown
            Console.WriteLine(epoll.TryModify(writer, EpollEvents.In, data: 2)); // ENOENT: writer is not registered

            using var set = new PollSet();
            set.Add(reader, PollEvents.In);
            Console.WriteLine(set.TryAdd(reader.Fd, PollEvents.In));             // EEXIST, as epoll_ctl would say
        }
    }

    private static void Errors_ArgumentsBeforeSyscalls()
    {
        using var epoll = EpollHandle.Create();
        using var pollReactor = new Reactor(MultiplexerKind.Poll);
        var (reader, writer) = SocketPair.Create();
        using (reader)
        using (writer)
        {
            Report(() => { var set = new FdSet(); set.Set(1024); });                                          // ArgumentOutOfRangeException
            Report(() => epoll.Add(reader, EpollEvents.In | EpollEvents.Exclusive | EpollEvents.OneShot, 0)); // ArgumentException
            Report(() => epoll.Wait(Span<EpollEvent>.Empty, 0));                                              // ArgumentException
            Report(() => epoll.Wait(new EpollEvent[1], timeoutMilliseconds: -2));                             // ArgumentOutOfRangeException
            Report(() => pollReactor.Register(reader, Interest.Readable | Interest.EdgeTriggered, static (_, _) => { })); // NotSupportedException
        }

        static void Report(Action action)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Console.WriteLine(e.GetType().Name);
            }
        }
    }

    private static void Errors_ClosedAndDisposed()
    {
        var epoll = EpollHandle.Create();
        var (reader, writer) = SocketPair.Create();
        epoll.Add(reader, EpollEvents.In, data: 1);
        reader.Dispose();                               // closed while registered: the kernel drops it by itself
        Console.WriteLine(epoll.Remove(reader));        // False: already gone, not an error
        Console.WriteLine(epoll.TryRemove(reader));     // EBADF
        writer.Dispose();

        epoll.Dispose();
        try
        {
            epoll.Wait(new EpollEvent[1], timeoutMilliseconds: 0);
        }
        catch (ObjectDisposedException)
        {
            Console.WriteLine("ObjectDisposedException");
        }
    }

    // ---------------------------------------------------------------- docs/containers.md

    [Fact]
    public void Containers_example_prints_what_the_page_says()
    {
        string[] lines = Capture(Containers_Limits);
        Assert.Matches(@"^RLIMIT_NOFILE soft=\d+ hard=(\d+|unlimited)$", lines[0]);
        FdLimits limits = FdLimits.Current;
        if (limits.Hard >= 20_000)
        {
            Assert.Single(lines);
        }
        else
        {
            Assert.StartsWith("only ", lines[1]);
        }

        // The page says the runtime starts the process with the soft limit raised to the hard limit (CoreCLR's PAL
        // does it at start-up; if that setrlimit fails the soft limit stays, which the unlimited case allows for).
        Assert.True(limits.Soft == limits.Hard || limits.IsHardUnlimited, limits.ToString());
    }

    private static void Containers_Limits()
    {
        Console.WriteLine(FdLimits.Current);            // RLIMIT_NOFILE soft=1048576 hard=1048576, say
        if (!FdLimits.TryRaiseSoftLimit(20_000, out FdLimits limits))
            Console.WriteLine($"only {limits.Hard} descriptors allowed; run with --ulimit nofile=65536:65536");
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Runs <paramref name="example"/> with Console.Out captured and returns the non-empty lines.</summary>
    private static string[] Capture(Action example) => ConsoleCapture.Lines(example);
}
