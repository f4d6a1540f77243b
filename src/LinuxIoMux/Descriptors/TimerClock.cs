namespace LinuxIoMux;

/// <summary>The clock a <see cref="TimerFd"/> counts on (clock_gettime(2) ids).</summary>
public enum TimerClock
{
    /// <summary>CLOCK_MONOTONIC: never jumps, stops while the machine is suspended. Right for timeouts.</summary>
    Monotonic = 1,

    /// <summary>CLOCK_BOOTTIME (Linux 2.6.39 for timerfd): as Monotonic, but keeps counting through suspend.</summary>
    BootTime = 7,
}
