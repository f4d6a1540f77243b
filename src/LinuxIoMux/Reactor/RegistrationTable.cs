namespace LinuxIoMux;

/// <summary>
/// The reactor's slots: which <see cref="Registration"/> a multiplexer token names. A token is the slot in its low
/// 32 bits and the slot's generation in its high 32 bits; the generation moves on whenever a slot is released, so a
/// token collected before the release (an event already in the current batch, or one for a descriptor number that
/// was closed and reused) no longer matches anything.
/// </summary>
/// <remarks>Loop-thread only, like everything a reactor owns. Slot 0xFFFFFFFF is never handed out, so no token can
/// equal <see cref="ReservedToken"/> (the waker's).</remarks>
internal sealed class RegistrationTable
{
    /// <summary>A token no registration can have: the reactor gives it to its own waker.</summary>
    internal const ulong ReservedToken = ulong.MaxValue;

    private Registration?[] _slots = new Registration?[64];
    private uint[] _generations = new uint[64];
    private int[] _freeSlots = new int[64];
    private int _freeCount;
    private int _slotsUsed;

    /// <summary>The token of a slot in its current generation.</summary>
    internal ulong TokenOf(int slot) => (ulong)_generations[slot] << 32 | (uint)slot;

    /// <summary>The token <paramref name="registration"/> was registered under.</summary>
    internal static ulong TokenOf(Registration registration) => (ulong)registration.Generation << 32 | (uint)registration.Slot;

    /// <summary>Takes a free slot (growing the table by doubling); fill it with <see cref="Publish"/> or give it back.</summary>
    internal int Reserve()
    {
        if (_freeCount > 0)
        {
            return _freeSlots[--_freeCount];
        }

        if (_slotsUsed == _slots.Length)
        {
            int capacity = _slots.Length * 2;
            Array.Resize(ref _slots, capacity);
            Array.Resize(ref _generations, capacity);
            Array.Resize(ref _freeSlots, capacity);
        }

        return _slotsUsed++;
    }

    /// <summary>The generation a registration in <paramref name="slot"/> gets.</summary>
    internal uint GenerationOf(int slot) => _generations[slot];

    /// <summary>Makes <paramref name="registration"/> the one its slot names.</summary>
    internal void Publish(Registration registration) => _slots[registration.Slot] = registration;

    /// <summary>Gives back a reserved slot that was never published (the multiplexer refused the descriptor).</summary>
    internal void Unreserve(int slot) => _freeSlots[_freeCount++] = slot;

    /// <summary>Empties <paramref name="registration"/>'s slot and moves its generation on, so its token is dead.</summary>
    internal void Release(Registration registration)
    {
        int slot = registration.Slot;
        _slots[slot] = null;
        unchecked
        {
            _generations[slot]++;
        }

        _freeSlots[_freeCount++] = slot;
    }

    /// <summary>True while <paramref name="registration"/> is the one its slot names (published, not released).</summary>
    internal bool IsCurrent(Registration registration) => ReferenceEquals(_slots[registration.Slot], registration);

    /// <summary>The registration <paramref name="token"/> names, or null when the token is stale.</summary>
    internal Registration? Find(ulong token)
    {
        int slot = (int)(uint)token;
        if ((uint)slot >= (uint)_slotsUsed || _generations[slot] != (uint)(token >> 32))
        {
            return null;
        }

        return _slots[slot];
    }

    /// <summary>Deactivates and forgets every registration (the reactor is being disposed), then passes each to
    /// <paramref name="deactivated"/> (once all are inactive, so that code it runs sees none still active).</summary>
    internal void DeactivateAll(Action<Registration> deactivated)
    {
        var all = new List<Registration>();
        for (int slot = 0; slot < _slotsUsed; slot++)
        {
            if (_slots[slot] is { } registration)
            {
                registration.IsActive = false;
                _slots[slot] = null;
                all.Add(registration);
            }
        }

        foreach (Registration registration in all)
        {
            deactivated(registration);
        }
    }
}
