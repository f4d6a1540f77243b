using LinuxIoMux.Interop;

namespace LinuxIoMux;

/// <summary>
/// <see cref="IMultiplexer"/> over select(2): level-triggered only, descriptors 0 to 1023 only
/// (<see cref="FdSet.Capacity"/>), each wait costs O(highest fd) in the kernel and here.
/// </summary>
/// <remarks>
/// <para>Three master <see cref="FdSet"/>s (read, write, except) are kept up to date on Add, Modify and Remove and
/// copied into the call each wait, because select overwrites its sets with the result. The except set carries
/// <see cref="Interest.Priority"/> (on Linux it reports exactly what POLLPRI does: TCP urgent data and the like);
/// errors already show up as readable or writable.</para>
/// <para>Registering an fd of 1024 or more throws <see cref="ArgumentOutOfRangeException"/> at Add, naming the limit,
/// instead of failing later inside a wait.</para>
/// <para>select fails the whole call with EBADF if any descriptor in the sets is closed. This multiplexer then finds
/// the closed ones (a zero-timeout poll(2) of each reports POLLNVAL) and reports them as errors, as poll would, so a
/// forgotten Remove surfaces in that registration's handler rather than stopping the loop.</para>
/// <para>When more descriptors are ready than the caller's buffer holds, each scan of the result sets resumes one past
/// the descriptor where the previous one stopped, so every ready descriptor is reported within ceil(ready / buffer)
/// waits (level-triggered: the ones left out are still ready).</para>
/// </remarks>
public sealed unsafe class SelectMultiplexer : Multiplexer
{
    private FdSet _readInterest;
    private FdSet _writeInterest;
    private FdSet _exceptInterest;

    /// <summary>The descriptor the next result scan starts at (one past the last one the previous scan reported).</summary>
    private int _scanStart;

    /// <inheritdoc/>
    public override MultiplexerKind Kind => MultiplexerKind.Select;

    private protected override void ValidateFdForBackend(int fd)
    {
        if (fd >= FdSet.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(fd), fd,
                $"select(2) can only watch descriptors 0 to {FdSet.Capacity - 1} (FD_SETSIZE = {FdSet.Capacity}), and fd {fd} is above that limit. " +
                "Use MultiplexerKind.Poll or MultiplexerKind.Epoll, which have no such limit.");
        }
    }

    private protected override void AddToKernel(int fd, Interest interest, ulong token) => SetInterest(fd, interest);

    private protected override void ModifyInKernel(int fd, Interest interest, ulong token) => SetInterest(fd, interest);

    private protected override void RemoveFromKernel(int fd, Interest interest)
    {
        _readInterest.Clear(fd);
        _writeInterest.Clear(fd);
        _exceptInterest.Clear(fd);
    }

    private protected override int WaitCore(Span<ReadyEvent> events, TimeSpan timeout)
    {
        FdSet read = _readInterest;
        FdSet write = _writeInterest;
        FdSet except = _exceptInterest;
        int ready;
        try
        {
            ready = Select.Wait(ref read, ref write, ref except, timeout);
        }
        catch (UnixException e) when (e.Errno == Errno.EBADF)
        {
            return ReportClosedDescriptors(events);
        }

        if (ready == 0)
        {
            return 0;
        }

        // Scan the result bits from one past the fd where the previous scan stopped, wrapping around: restarting at
        // fd 0 would hand a full buffer to the lowest ready descriptors every wait and starve the higher ones.
        int written = 0;
        int seen = 0; // select counts a descriptor once per set it is ready in
        int limit = Math.Max(Math.Max(read.HighestFd, write.HighestFd), except.HighestFd) + 1;
        int start = _scanStart < limit ? _scanStart : 0;
        for (int n = 0; n < limit; n++)
        {
            int fd = start + n < limit ? start + n : start + n - limit;
            bool readable = read.IsSet(fd);
            bool writable = write.IsSet(fd);
            bool priority = except.IsSet(fd);
            if (!readable && !writable && !priority)
            {
                continue;
            }

            seen += (readable ? 1 : 0) + (writable ? 1 : 0) + (priority ? 1 : 0);
            if (TryGetRegistration(fd, out _, out ulong token))
            {
                events[written++] = new ReadyEvent(token, Readiness.From(readable, writable, readClosed: false, writeClosed: false, error: false, priority));
            }

            if (written == events.Length || seen >= ready)
            {
                _scanStart = fd + 1;
                break;
            }
        }

        return written;
    }

    private protected override void DisposeCore()
    {
        _readInterest.Zero();
        _writeInterest.Zero();
        _exceptInterest.Zero();
    }

    private void SetInterest(int fd, Interest interest)
    {
        if ((interest & Interest.Readable) != 0)
        {
            _readInterest.Set(fd);
        }
        else
        {
            _readInterest.Clear(fd);
        }

        if ((interest & Interest.Writable) != 0)
        {
            _writeInterest.Set(fd);
        }
        else
        {
            _writeInterest.Clear(fd);
        }

        if ((interest & Interest.Priority) != 0)
        {
            _exceptInterest.Set(fd);
        }
        else
        {
            _exceptInterest.Clear(fd);
        }
    }

    /// <summary>After select's EBADF: reports each registered descriptor that is no longer open as an error.</summary>
    private int ReportClosedDescriptors(Span<ReadyEvent> events)
    {
        int written = 0;
        foreach (KeyValuePair<int, Registered> pair in Registrations)
        {
            var probe = new PollFd(pair.Key, PollEvents.None);
            // SAFETY: probe is a local pollfd and nfds is 1; a zero timeout cannot block.
            if (LibC.poll(&probe, 1, 0) == 1 && (probe.ReturnedEvents & PollEvents.Nval) != 0)
            {
                events[written++] = new ReadyEvent(pair.Value.Token, new Readiness(false, false, hangUp: false, error: true));
                if (written == events.Length)
                {
                    break;
                }
            }
        }

        return written;
    }
}
