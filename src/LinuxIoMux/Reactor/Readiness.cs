namespace LinuxIoMux;

/// <summary>
/// What a wait reported for one descriptor: <see cref="IsReadable"/>, <see cref="IsWritable"/>,
/// <see cref="IsHangUp"/>, <see cref="IsError"/>. A 1-byte value; comparing and copying it costs nothing.
/// </summary>
/// <remarks>
/// <para><b>Readiness is a hint.</b> Like epoll, poll and select themselves it can be spurious: a read after
/// <see cref="IsReadable"/> may still would-block (another thread read first, a checksum failed, ...). Handle
/// would-block by returning and waiting again (see <see cref="NonBlockingSocket"/>).</para>
/// <para><b>Hang-up and error are folded into the interests.</b> When the kernel reports a hang-up or an error, the
/// multiplexers also report readable and/or writable for whatever the registration asked for (as libuv does), so the
/// handler's ordinary read or write runs and surfaces the condition as end of stream or an error code. Only
/// <see cref="IsReadable"/> and <see cref="IsWritable"/> are guaranteed across backends; <see cref="IsHangUp"/> and
/// <see cref="IsError"/> are extra hints (select, for example, never reports them).</para>
/// </remarks>
public readonly struct Readiness : IEquatable<Readiness>
{
    private const byte ReadableBit = 1;
    private const byte WritableBit = 2;
    private const byte HangUpBit = 4;
    private const byte ErrorBit = 8;

    private readonly byte _bits;

    /// <summary>Creates a readiness value (the multiplexers make these; tests and custom dispatchers may too).</summary>
    public Readiness(bool readable, bool writable, bool hangUp = false, bool error = false)
    {
        _bits = (byte)((readable ? ReadableBit : 0) | (writable ? WritableBit : 0) | (hangUp ? HangUpBit : 0) | (error ? ErrorBit : 0));
    }

    /// <summary>Reading will not block (data, end of stream or an error is waiting).</summary>
    public bool IsReadable => (_bits & ReadableBit) != 0;

    /// <summary>Writing will not block (room in the send buffer, or an error is waiting).</summary>
    public bool IsWritable => (_bits & WritableBit) != 0;

    /// <summary>The peer hung up (EPOLLHUP/EPOLLRDHUP, POLLHUP/POLLRDHUP). A hint: reads then return end of stream.</summary>
    public bool IsHangUp => (_bits & HangUpBit) != 0;

    /// <summary>An error is pending on the descriptor (EPOLLERR, POLLERR, POLLNVAL). A hint: the next I/O call reports it.</summary>
    public bool IsError => (_bits & ErrorBit) != 0;

    /// <summary>True when nothing at all was reported.</summary>
    public bool IsEmpty => _bits == 0;

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

        return new Readiness(
            IsReadable || (interest & Interest.Readable) != 0,
            IsWritable || (interest & Interest.Writable) != 0,
            IsHangUp,
            IsError);
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
        Append(ref text, IsError, "Error");
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
