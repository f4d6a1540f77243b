namespace LinuxIoMux;

/// <summary>
/// What a wait reported for one descriptor: <see cref="IsReadable"/>, <see cref="IsWritable"/>, and the hints
/// <see cref="IsHangUp"/>, <see cref="IsReadClosed"/>, <see cref="IsWriteClosed"/>, <see cref="IsError"/> and
/// <see cref="IsPriority"/>. A 1-byte value; comparing and copying it costs nothing.
/// </summary>
/// <remarks>
/// <para><b>Readiness is a hint.</b> Like epoll, poll and select themselves it can be spurious: a read after
/// <see cref="IsReadable"/> may still would-block (another thread read first, a checksum failed, ...). Handle
/// would-block by returning and waiting again (see <see cref="NonBlockingSocket"/>).</para>
/// <para><b>Hang-up and error are folded into the interests.</b> When the kernel reports a hang-up or an error, the
/// multiplexers also report readable and/or writable for whatever the registration asked for (as libuv does), so the
/// handler's ordinary read or write runs and surfaces the condition as end of stream or an error code. Only
/// <see cref="IsReadable"/> and <see cref="IsWritable"/> are guaranteed across backends; the closed, error and
/// priority flags are extra hints (select, for example, reports only priority, through its except set).</para>
/// <para><b>Which side closed.</b> As in mio, the two directions are kept apart: <see cref="IsReadClosed"/> says the
/// peer will send nothing more (EPOLLRDHUP or EPOLLHUP; POLLRDHUP or POLLHUP), <see cref="IsWriteClosed"/> says
/// nothing more can be sent (EPOLLHUP or EPOLLERR; POLLHUP or POLLERR). A peer's <c>shutdown(SHUT_WR)</c> or
/// <c>close</c> shows as read-closed only, while the socket can still be written to.</para>
/// </remarks>
public readonly struct Readiness : IEquatable<Readiness>
{
    private const byte ReadableBit = 1;
    private const byte WritableBit = 2;
    private const byte HangUpBit = 4;
    private const byte ErrorBit = 8;
    private const byte ReadClosedBit = 16;
    private const byte WriteClosedBit = 32;
    private const byte PriorityBit = 64;

    private readonly byte _bits;

    /// <summary>Creates a readiness value (the multiplexers make these; tests and custom dispatchers may too).</summary>
    public Readiness(bool readable, bool writable, bool hangUp = false, bool error = false)
    {
        _bits = (byte)((readable ? ReadableBit : 0) | (writable ? WritableBit : 0) | (hangUp ? HangUpBit : 0) | (error ? ErrorBit : 0));
    }

    private Readiness(byte bits)
    {
        _bits = bits;
    }

    /// <summary>Reading will not block (data, end of stream or an error is waiting).</summary>
    public bool IsReadable => (_bits & ReadableBit) != 0;

    /// <summary>Writing will not block (room in the send buffer, or an error is waiting).</summary>
    public bool IsWritable => (_bits & WritableBit) != 0;

    /// <summary>The peer hung up in either direction (EPOLLHUP/EPOLLRDHUP, POLLHUP/POLLRDHUP). A hint: reads then return
    /// end of stream. <see cref="IsReadClosed"/> and <see cref="IsWriteClosed"/> tell the directions apart.</summary>
    public bool IsHangUp => (_bits & HangUpBit) != 0;

    /// <summary>The peer will send nothing more (EPOLLRDHUP or EPOLLHUP; POLLRDHUP or POLLHUP): reads return end of
    /// stream once the data already received is consumed. A hint; select never reports it.</summary>
    public bool IsReadClosed => (_bits & ReadClosedBit) != 0;

    /// <summary>Nothing more can be sent (EPOLLHUP or EPOLLERR; POLLHUP or POLLERR): a write would fail (EPIPE,
    /// ECONNRESET). A hint; select never reports it.</summary>
    public bool IsWriteClosed => (_bits & WriteClosedBit) != 0;

    /// <summary>Priority data is waiting (EPOLLPRI, POLLPRI, select's except set: TCP urgent data, a cgroup or sysfs
    /// notification). Reported when the registration asked for <see cref="Interest.Priority"/>.</summary>
    public bool IsPriority => (_bits & PriorityBit) != 0;

    /// <summary>An error is pending on the descriptor (EPOLLERR, POLLERR, POLLNVAL). A hint: the next I/O call reports it.</summary>
    public bool IsError => (_bits & ErrorBit) != 0;

    /// <summary>True when nothing at all was reported.</summary>
    public bool IsEmpty => _bits == 0;

    /// <summary>The multiplexers' constructor: every hint at once.</summary>
    internal static Readiness From(bool readable, bool writable, bool readClosed, bool writeClosed, bool error, bool priority) =>
        new((byte)((readable ? ReadableBit : 0)
            | (writable ? WritableBit : 0)
            | (readClosed || writeClosed ? HangUpBit : 0)
            | (error ? ErrorBit : 0)
            | (readClosed ? ReadClosedBit : 0)
            | (writeClosed ? WriteClosedBit : 0)
            | (priority ? PriorityBit : 0)));

    /// <summary>
    /// The libuv rule the <see cref="Reactor"/> applies before dispatch: a hang-up or error also makes the registered
    /// interests ready, so the handler's ordinary read or write observes it (end of stream, an error code).
    /// </summary>
    internal Readiness FoldedInto(Interest interest)
    {
        if ((_bits & (HangUpBit | ErrorBit)) == 0)
        {
            return this;
        }

        int folded = _bits;
        if ((interest & Interest.Readable) != 0)
        {
            folded |= ReadableBit;
        }

        if ((interest & Interest.Writable) != 0)
        {
            folded |= WritableBit;
        }

        return new Readiness((byte)folded);
    }

    /// <inheritdoc/>
    public bool Equals(Readiness other) => _bits == other._bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Readiness other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _bits;

    /// <summary>Compares two values bit for bit.</summary>
    public static bool operator ==(Readiness left, Readiness right) => left.Equals(right);

    /// <summary>Compares two values bit for bit.</summary>
    public static bool operator !=(Readiness left, Readiness right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString()
    {
        if (_bits == 0)
        {
            return "None";
        }

        string text = string.Empty;
        Append(ref text, IsReadable, "Readable");
        Append(ref text, IsWritable, "Writable");
        Append(ref text, IsHangUp, "HangUp");
        Append(ref text, IsReadClosed, "ReadClosed");
        Append(ref text, IsWriteClosed, "WriteClosed");
        Append(ref text, IsError, "Error");
        Append(ref text, IsPriority, "Priority");
        return text;

        static void Append(ref string text, bool set, string name)
        {
            if (set)
            {
                text = text.Length == 0 ? name : text + " | " + name;
            }
        }
    }
}
