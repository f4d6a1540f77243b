using System.Diagnostics;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.ReactorLoop;

/// <summary>Shared helpers of the reactor tests: a hang-detecting loop driver and an echo handler.</summary>
internal static class ReactorTestUtil
{
    /// <summary>
    /// Hang detector only: generous, because the machine is shared. No test asserts an upper bound on timing.
    /// </summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(20);

    /// <summary>Runs loop iterations until <paramref name="done"/> holds; fails (never hangs) after <see cref="HangLimit"/>.</summary>
    public static void RunUntil(LinuxIoMux.Reactor reactor, Func<bool> done, string what)
    {
        long start = Stopwatch.GetTimestamp();
        while (!done())
        {
            if (Stopwatch.GetElapsedTime(start) > HangLimit)
            {
                throw new TimeoutException($"Hang detector: '{what}' did not happen within {HangLimit.TotalSeconds} s.");
            }

            reactor.RunOnce(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Waits for <paramref name="condition"/> on this thread (no loop), failing after the hang limit.</summary>
    public static void SpinUntil(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, HangLimit))
        {
            throw new TimeoutException($"Hang detector: '{what}' did not happen within {HangLimit.TotalSeconds} s.");
        }
    }
}

/// <summary>
/// One echo connection for the reactor tests: reads until would-block and writes everything back; on a full send
/// buffer it stops reading and waits for writability (back-pressure). Its handler is static: no closure per dispatch.
/// </summary>
internal sealed class EchoConnection
{
    public static readonly ReadinessHandler Handler = OnReady;

    private readonly byte[] _buffer = new byte[4096];
    private int _pendingStart;
    private int _pendingEnd;

    public EchoConnection(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    public bool Closed { get; private set; }

    public long BytesEchoed { get; private set; }

    private static void OnReady(Registration registration, Readiness readiness)
    {
        var connection = (EchoConnection)registration.State!;
        if (connection._pendingEnd > connection._pendingStart)
        {
            if (!connection.Flush(registration))
            {
                return;
            }

            registration.Modify(Interest.Readable);
        }

        while (true)
        {
            int received = connection.Socket.ReceiveNonBlocking(connection._buffer, out _);
            if (received == NonBlockingSocket.WouldBlock)
            {
                return;
            }

            if (received <= 0)
            {
                connection.Close(registration);
                return;
            }

            connection._pendingStart = 0;
            connection._pendingEnd = received;
            if (!connection.Flush(registration))
            {
                if (!connection.Closed)
                {
                    registration.Modify(Interest.Writable);
                }

                return;
            }
        }
    }

    /// <summary>Sends the pending bytes; false if the send buffer filled first.</summary>
    private bool Flush(Registration registration)
    {
        while (_pendingStart < _pendingEnd)
        {
            int sent = Socket.SendNonBlocking(_buffer.AsSpan(_pendingStart, _pendingEnd - _pendingStart), out _);
            if (sent == NonBlockingSocket.WouldBlock)
            {
                return false;
            }

            if (sent < 0)
            {
                Close(registration);
                return false;
            }

            _pendingStart += sent;
            BytesEchoed += sent;
        }

        return true;
    }

    public void Close(Registration? registration)
    {
        if (Closed)
        {
            return;
        }

        Closed = true;
        registration?.Dispose(); // before closing the descriptor: the reactor holds only its number
        Socket.Dispose();
    }
}
