using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Pipelines;

/// <summary>Pool buffers a connection holds: none while it waits for the peer (Kestrel's zero-byte receive).</summary>
public abstract partial class ReactorSocketPipeTests
{
    [SkippableFact]
    public async Task An_idle_connection_holds_no_pool_buffer_between_requests()
    {
        var pool = new CountingPool();
        await using PipeFixture fixture = await PipeFixture.StartAsync(Kind, new ReactorSocketPipeOptions { Pool = pool, ApplicationScheduler = PipeScheduler.Inline });
        Task echo = fixture.SpawnEcho();
        byte[] message = new byte[32];
        for (int i = 0; i < 3; i++)
        {
            fixture.Peer.Send(message);
            ReadExactly(fixture.Peer, message);
        }

        // Runs on the loop after the dispatch that echoed the last request, so the pumps have parked by then.
        int outstanding = -1;
        await fixture.Reactor.Spawn(() =>
        {
            outstanding = pool.Outstanding;
            return Task.CompletedTask;
        }).WaitAsync(PipeFixture.Hang);

        Assert.True(pool.Rented >= 3, $"the pipe took {pool.Rented} buffers from the pool for 3 exchanges");
        Assert.True(outstanding == 0, $"{outstanding} pool buffer(s) held by an idle connection (expected none)");
        fixture.Peer.Shutdown(SocketShutdown.Send);
        await echo.WaitAsync(PipeFixture.Hang);
    }

    /// <summary>MemoryPool.Shared, counting the blocks rented and not yet returned.</summary>
    private sealed class CountingPool : MemoryPool<byte>
    {
        private int _outstanding;
        private int _rented;

        public int Outstanding => Volatile.Read(ref _outstanding);

        public int Rented => Volatile.Read(ref _rented);

        public override int MaxBufferSize => Shared.MaxBufferSize;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            Interlocked.Increment(ref _rented);
            Interlocked.Increment(ref _outstanding);
            return new Owner(this, Shared.Rent(minBufferSize));
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Owner(CountingPool pool, IMemoryOwner<byte> inner) : IMemoryOwner<byte>
        {
            private int _disposed;

            public Memory<byte> Memory => inner.Memory;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref pool._outstanding);
                    inner.Dispose();
                }
            }
        }
    }
}
