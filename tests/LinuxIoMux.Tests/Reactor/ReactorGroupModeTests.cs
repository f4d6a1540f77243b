using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>
/// ReactorGroup's accept modes and CPU pinning, checked on what the kernel holds: the epoll interest lists in
/// /proc/self/fdinfo, the listening sockets, the loop threads' affinity in /proc/thread-self/status.
/// </summary>
public class ReactorGroupModeTests
{
    private const uint EpollExclusive = 1u << 28;

    /// <summary>Every epoll instance of this process with its interest list (fd -> events).</summary>
    private static List<Dictionary<int, uint>> EpollInterestLists()
    {
        var lists = new List<Dictionary<int, uint>>();
        foreach (string path in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target = null;
            try
            {
                target = new FileInfo(path).LinkTarget;
            }
            catch (IOException)
            {
            }

            if (target != "anon_inode:[eventpoll]")
            {
                continue;
            }

            var list = new Dictionary<int, uint>();
            try
            {
                foreach (string line in File.ReadAllLines($"/proc/self/fdinfo/{Path.GetFileName(path)}"))
                {
                    string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length >= 4 && words[0] == "tfd:")
                    {
                        list[int.Parse(words[1], CultureInfo.InvariantCulture)] = uint.Parse(words[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            lists.Add(list);
        }

        return lists;
    }

    private static int AcceptAll(ReactorGroup group, int connections)
    {
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < connections; i++)
            {
                clients.Add(BlockingClient.Connect(group.LocalEndPoint));
            }

            var deadline = System.Diagnostics.Stopwatch.StartNew();
            long accepted = 0;
            while (deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                accepted = 0;
                foreach (Reactor reactor in group.Reactors)
                {
                    // AcceptedCount belongs to the loop thread: read it there.
                    accepted += reactor.RunOnLoop(() => group.Acceptors[group.Reactors.ToList().IndexOf(reactor)]!.AcceptedCount);
                }

                if (accepted == connections)
                {
                    break;
                }

                Thread.Sleep(10);
            }

            return (int)accepted;
        }
        finally
        {
            foreach (Socket client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public void Exclusive_mode_registers_one_shared_listener_in_every_loop_with_EPOLLEXCLUSIVE_and_accepts_through_it()
    {
        using var group = new ReactorGroup(new IPEndPoint(IPAddress.Loopback, 0), static (_, socket) => socket.Dispose(),
            new ReactorGroupOptions { LoopCount = 3, AcceptMode = AcceptMode.Exclusive });
        Assert.Equal(AcceptMode.Exclusive, group.AcceptMode);

        var exclusiveRegistrations = EpollInterestLists()
            .SelectMany(list => list.Where(entry => (entry.Value & EpollExclusive) != 0))
            .ToList();
        Assert.Equal(3, exclusiveRegistrations.Count);                          // one per loop
        Assert.Single(exclusiveRegistrations.Select(entry => entry.Key).Distinct()); // all the same listener fd

        group.Start();
        Assert.Equal(40, AcceptAll(group, 40));
    }

    [Fact]
    public void ReusePort_mode_stays_the_default_with_a_listener_per_loop_and_no_EPOLLEXCLUSIVE()
    {
        int before = EpollInterestLists().Sum(list => list.Count(entry => (entry.Value & EpollExclusive) != 0));
        using var group = new ReactorGroup(MultiplexerKind.Epoll, new IPEndPoint(IPAddress.Loopback, 0), static (_, socket) => socket.Dispose(), loopCount: 2);

        Assert.Equal(AcceptMode.ReusePort, group.AcceptMode);
        Assert.Equal(before, EpollInterestLists().Sum(list => list.Count(entry => (entry.Value & EpollExclusive) != 0)));
        group.Start();
        Assert.Equal(20, AcceptAll(group, 20));
    }

    [Theory]
    [InlineData(MultiplexerKind.Poll)]
    [InlineData(MultiplexerKind.Select)]
    public void Exclusive_mode_on_poll_or_select_is_rejected_before_any_socket_is_made(MultiplexerKind kind)
    {
        int descriptors = OpenDescriptors.Count();
        var error = Assert.Throws<ArgumentException>(() => new ReactorGroup(new IPEndPoint(IPAddress.Loopback, 0), static (_, _) => { },
            new ReactorGroupOptions { Kind = kind, AcceptMode = AcceptMode.Exclusive }));
        Assert.Contains("EPOLLEXCLUSIVE", error.Message);
        Assert.Equal(descriptors, OpenDescriptors.Count());
    }

    [Fact]
    public void Pinned_loops_run_each_on_one_allowed_cpu_in_order()
    {
        int[] allowed = CpuAffinity.Allowed();
        using var group = new ReactorGroup(new IPEndPoint(IPAddress.Loopback, 0), static (_, socket) => socket.Dispose(),
            new ReactorGroupOptions { LoopCount = 3, PinThreads = true });
        group.Start();

        for (int i = 0; i < 3; i++)
        {
            string cpus = group.Reactors[i].RunOnLoop(() =>
                File.ReadLines("/proc/thread-self/status").First(line => line.StartsWith("Cpus_allowed_list:"))["Cpus_allowed_list:".Length..].Trim());
            Assert.Equal(allowed[i % allowed.Length].ToString(CultureInfo.InvariantCulture), cpus);
        }
    }
}

/// <summary>Runs a function on a reactor's loop thread and returns its result to the caller.</summary>
internal static class ReactorLoopExtensions
{
    public static T RunOnLoop<T>(this Reactor reactor, Func<T> function)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.Post(() =>
        {
            try
            {
                result.SetResult(function());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        if (!result.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The loop did not run the posted function.");
        }

        return result.Task.Result;
    }
}
