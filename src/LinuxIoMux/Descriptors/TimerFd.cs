using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// A timer as a descriptor (timerfd_create(2)): readable once it has expired, so a wait sees it beside sockets.
/// One-shot or periodic, relative or absolute, on <see cref="TimerClock.Monotonic"/> or
/// <see cref="TimerClock.BootTime"/>. Non-blocking and close-on-exec.
/// </summary>
/// <remarks>
/// <para>Reading (<see cref="ReadExpirations"/>) returns how many times the timer expired since the last read and
/// resets that count; the descriptor stays readable until then (level-triggered). A periodic timer that is not read
/// does not queue events, it counts them, so a slow loop sees one readiness with a count above 1.</para>
/// <para>Resolution is the kernel's (nanoseconds, high-resolution timers); <see cref="TimeSpan"/> limits it to 100 ns.
/// Setting a zero initial expiration disarms the timer, so <see cref="Set"/> refuses zero and
/// <see cref="Disarm"/> says it.</para>
/// </remarks>
/// <example>
/// <code>
/// using var timer = new TimerFd(TimerClock.Monotonic);
/// timer.Set(TimeSpan.FromMilliseconds(10), interval: TimeSpan.FromMilliseconds(10));  // every 10 ms
/// epoll.Add(timer.Handle, EpollEvents.In, data: 2);
/// // readable: ulong expirations = timer.ReadExpirations();
/// </code>
/// </example>
public sealed unsafe class TimerFd : IDisposable
{
    /// <summary>Creates a disarmed timer on <paramref name="clock"/> (TFD_NONBLOCK | TFD_CLOEXEC).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a <see cref="TimerClock"/> member.</exception>
    /// <exception cref="UnixException">EMFILE, ENFILE, ENOMEM.</exception>
    public TimerFd(TimerClock clock = TimerClock.Monotonic)
    {
        if (!Enum.IsDefined(clock))
        {
            throw new ArgumentOutOfRangeException(nameof(clock), clock, "Expected Monotonic or BootTime.");
        }

        int fd = LibC.timerfd_create((int)clock, LibC.TFD_NONBLOCK | LibC.TFD_CLOEXEC);
        if (fd < 0)
        {
            throw UnixException.FromLastError($"timerfd_create({clock}, TFD_NONBLOCK | TFD_CLOEXEC)");
        }

        Clock = clock;
        Handle = FileDescriptorHandle.Own(fd);
    }

    /// <summary>The descriptor: register it for <c>In</c> or <see cref="Interest.Readable"/>.</summary>
    public FileDescriptorHandle Handle { get; }

    /// <summary>The clock the timer counts on.</summary>
    public TimerClock Clock { get; }

    /// <summary>The current time of <paramref name="clock"/> (clock_gettime(2)), the base for <see cref="SetAbsolute"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a <see cref="TimerClock"/> member.</exception>
    public static TimeSpan Now(TimerClock clock)
    {
        if (!Enum.IsDefined(clock))
        {
            throw new ArgumentOutOfRangeException(nameof(clock), clock, "Expected Monotonic or BootTime.");
        }

        Timespec now;
        if (LibC.clock_gettime((int)clock, &now) != 0)
        {
            throw UnixException.FromLastError($"clock_gettime({clock})");
        }

        return ToTimeSpan(now);
    }

    /// <summary>
    /// Arms the timer to expire <paramref name="dueIn"/> from now, then every <paramref name="interval"/> (zero: once).
    /// Replaces any previous setting and resets the expiration count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dueIn"/> is zero or negative (zero would disarm), or
    /// <paramref name="interval"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">Disposed.</exception>
    public void Set(TimeSpan dueIn, TimeSpan interval = default) => Arm(dueIn, interval, flags: 0, nameof(dueIn));

    /// <summary>
    /// Arms the timer to expire when <see cref="Clock"/> reads <paramref name="deadline"/> (TFD_TIMER_ABSTIME; see
    /// <see cref="Now"/>), then every <paramref name="interval"/>. A deadline already past expires at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deadline"/> is zero or negative, or
    /// <paramref name="interval"/> is negative.</exception>
    public void SetAbsolute(TimeSpan deadline, TimeSpan interval = default) =>
        Arm(deadline, interval, LibC.TFD_TIMER_ABSTIME, nameof(deadline));

    /// <summary>Stops the timer (a zero it_value); a pending expiration count is cleared too.</summary>
    public void Disarm()
    {
        Itimerspec zero = default;
        SetTime(0, &zero, "disarm");
    }

    /// <summary>The time until the next expiration (zero when disarmed) and the interval (timerfd_gettime(2)).</summary>
    public (TimeSpan Remaining, TimeSpan Interval) Get()
    {
        Itimerspec current;
        bool referenced = false;
        // SAFETY: the reference keeps the fd open and its number unreused for the call; current is a stack local.
        Handle.DangerousAddRef(ref referenced);
        try
        {
            if (LibC.timerfd_gettime(Handle.Fd, &current) != 0)
            {
                throw UnixException.FromLastError($"timerfd_gettime(fd={Handle.Fd})");
            }
        }
        finally
        {
            if (referenced)
            {
                Handle.DangerousRelease();
            }
        }

        return (ToTimeSpan(current.Value), ToTimeSpan(current.Interval));
    }

    /// <summary>Reads and resets the number of expirations since the last read.</summary>
    /// <returns>The count; 0 when the timer has not expired since (EAGAIN).</returns>
    public ulong ReadExpirations()
    {
        ulong count = 0;
        return Handle.Read(new Span<byte>(&count, sizeof(ulong))) == sizeof(ulong) ? count : 0;
    }

    /// <summary>Closes the descriptor (the timer goes with it).</summary>
    public void Dispose() => Handle.Dispose();

    private void Arm(TimeSpan value, TimeSpan interval, int flags, string paramName)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "timerfd_settime: a zero or negative expiration would disarm the timer; use Disarm.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        var setting = new Itimerspec { Value = Timespec.FromTicks(value.Ticks), Interval = Timespec.FromTicks(interval.Ticks) };
        SetTime(flags, &setting, $"{(flags == 0 ? "relative" : "TFD_TIMER_ABSTIME")} {value}, interval {interval}");
    }

    private void SetTime(int flags, Itimerspec* setting, string what)
    {
        bool referenced = false;
        // SAFETY: the reference keeps the fd open and its number unreused for the call; setting points at the caller's
        // stack local.
        Handle.DangerousAddRef(ref referenced);
        try
        {
            if (LibC.timerfd_settime(Handle.Fd, flags, setting, null) != 0)
            {
                throw UnixException.FromLastError($"timerfd_settime(fd={Handle.Fd}, {what})");
            }
        }
        finally
        {
            if (referenced)
            {
                Handle.DangerousRelease();
            }
        }
    }

    private static TimeSpan ToTimeSpan(Timespec time) =>
        TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / TimeSpan.NanosecondsPerTick);
}
