using System.Net.Sockets;

namespace LinuxIoMux;

/// <summary>
/// Read readiness tracked per socket, the way tokio's ScheduledIo does: after a receive that drained a stream socket,
/// the next receive skips its speculative recv(2) (which would say EAGAIN) and waits, until the reactor reports the
/// socket readable again.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> In a request/response exchange the receive after each reply found nothing: one recv(2) returning
/// EAGAIN per round trip (measured with <c>strace -c</c> on RespServer <c>--api async</c>: 742 of 1580 recvfrom were
/// EAGAIN, for 814 sendto).</para>
/// <para><b>When the socket counts as drained.</b> A recv(2) of a stream socket that returned fewer bytes than asked
/// (but more than 0) took all the data queued at that moment, and one that said EAGAIN found nothing. End of stream
/// (0) does not count: it repeats forever and produces no new report. Nor does anything once the reactor reported
/// hang-up or error (<see cref="Registration.HangUpReported"/>): a FIN that arrived with the last data is not data,
/// a short read leaves it queued, and its one edge was already reported (seen: the echo test hung waiting for the
/// end of stream in 4 of 10 runs on epoll before this check). Datagram and seqpacket sockets return one message
/// per call, so a short read says nothing about what else is queued: they always make the syscall.</para>
/// <para><b>Why no wake-up is lost.</b> The drained state holds only as of
/// <see cref="Registration.ReadableReports"/> at that receive. Data, end of stream or a reset arriving later makes the
/// kernel report the socket (a new edge under epoll's EPOLLET; a level report on poll, select and io_uring, at the
/// latest once the wait arms the direction), and the dispatch counts every readable report, waiter or not: a
/// changed count means "try the syscall again".</para>
/// </remarks>
public sealed partial class ReactorSocket
{
    private readonly bool _isStream;
    private bool _drained;
    private uint _drainedAtReport;

    /// <summary>recv(2) calls that said EAGAIN (for tests and diagnostics: a request/response loop should make none
    /// after a short read).</summary>
    internal long WouldBlockReceives { get; private set; }

    /// <summary>True when the last receive drained the socket and no readable report arrived since: a recv(2) now
    /// would say EAGAIN.</summary>
    private bool IsKnownDrained =>
        _drained && _drainedAtReport == _registration.ReadableReports && !_registration.HangUpReported;

    private static bool IsStream(Socket socket) => socket.SocketType == SocketType.Stream;

    /// <summary>Records what one recv(2) into <paramref name="length"/> bytes said about the queue: -1 EAGAIN,
    /// 0 end of stream, else the bytes received.</summary>
    private void NoteReceive(int received, int length)
    {
        if (received < 0)
        {
            WouldBlockReceives++;
        }

        _drained = _isStream && (received < 0 || (received > 0 && received < length));
        _drainedAtReport = _registration.ReadableReports;
    }
}
