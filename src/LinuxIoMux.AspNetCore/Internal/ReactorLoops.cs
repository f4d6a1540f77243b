namespace LinuxIoMux.AspNetCore.Internal;

/// <summary>
/// N reactors, each run by its own background thread (<c>kestrel-reactor-0</c>, ...), optionally pinned to a CPU: the
/// loops one transport listener accepts and serves its connections on.
/// </summary>
internal sealed class ReactorLoops : IDisposable
{
    private readonly Reactor[] _reactors;
    private readonly Thread[] _threads;

    public ReactorLoops(MultiplexerKind kind, int count, bool pin)
    {
        count = count > 0 ? count : Environment.ProcessorCount;
        int[] cpus = pin ? CpuPinning.AllowedCpus() : [];
        _reactors = new Reactor[count];
        _threads = new Thread[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                var reactor = new Reactor(kind);
                _reactors[i] = reactor;
                int? cpu = cpus.Length > 0 ? cpus[i % cpus.Length] : null;
                _threads[i] = new Thread(() => RunLoop(reactor, cpu)) { IsBackground = true, Name = $"kestrel-reactor-{i}" };
            }
        }
        catch
        {
            // A failed epoll_create1 / io_uring_setup (EMFILE, ENOMEM): close the loops made so far, no fd leaks.
            foreach (Reactor? made in _reactors)
            {
                made?.Dispose();
            }

            throw;
        }

        foreach (Thread thread in _threads)
        {
            thread.Start();
        }
    }

    public IReadOnlyList<Reactor> Reactors => _reactors;

    /// <summary>Stops every loop, waits for its thread, then closes the reactors.</summary>
    public void Dispose()
    {
        foreach (Reactor reactor in _reactors)
        {
            reactor.Stop();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        foreach (Reactor reactor in _reactors)
        {
            reactor.Dispose();
        }
    }

    private static void RunLoop(Reactor reactor, int? cpu)
    {
        if (cpu is int pinned)
        {
            CpuPinning.PinCurrentThread(pinned);
        }

        reactor.Run();
    }
}
