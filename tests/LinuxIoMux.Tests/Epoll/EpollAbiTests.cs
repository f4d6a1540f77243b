using System.Runtime.InteropServices;

namespace LinuxIoMux.Tests.Epoll;

/// <summary>
/// Both kernel layouts of <c>struct epoll_event</c> on this machine, with bytes written the way the kernel writes
/// them: the packed x86-64 record (12 bytes, data at 4) and the aligned arm64 one (16 bytes, data at 8).
/// </summary>
public unsafe class EpollAbiTests
{
    private const int Packed = EpollAbi.PackedStride;
    private const int Aligned = EpollAbi.AlignedStride;

    public static TheoryData<int> Strides => new() { Packed, Aligned };

    public static TheoryData<int> Counts => new() { 0, 1, 2, 3, 7, 64, 255 };

    /// <summary>Distinct values with bits in both halves of data and in the top bit of events, to catch truncation.</summary>
    private static EpollEvent Sample(int i) =>
        new((EpollEvents)(0x8000_0001u ^ (uint)i * 0x0101_0101u), 0xDEAD_BEEF_0000_0000UL | (ulong)(uint)i * 0x1_0001UL);

    /// <summary>What the kernel would write for record <paramref name="index"/>: events, then data at the stride's offset.</summary>
    private static void WriteAsKernel(Span<byte> records, int stride, int index, EpollEvent value)
    {
        Span<byte> record = records.Slice(index * stride, stride);
        MemoryMarshal.Write(record, (uint)value.Events);
        if (stride == Aligned)
        {
            record.Slice(4, 4).Fill(0xEE); // the kernel never writes the padding: leave junk there
        }

        MemoryMarshal.Write(record[(stride == Packed ? 4 : 8)..], value.Data);
    }

    [Fact]
    public void Data_offsets_are_4_for_the_packed_and_8_for_the_aligned_record()
    {
        Assert.Equal(4, EpollAbi.DataOffset(Packed));
        Assert.Equal(8, EpollAbi.DataOffset(Aligned));
    }

    [Fact]
    public void Native_stride_is_12_on_x86_64_and_16_on_arm64()
    {
        switch (RuntimeInformation.ProcessArchitecture)
        {
            case Architecture.X64:
            case Architecture.X86:
                Assert.Equal(12, EpollAbi.NativeStride);
                break;
            case Architecture.Arm64:
                Assert.Equal(16, EpollAbi.NativeStride);
                break;
            default:
                Assert.Equal(16, EpollAbi.NativeStride); // every other Linux ABI has natural alignment
                break;
        }
    }

    [Fact]
    public void Write_packed_puts_data_at_4_and_touches_only_12_bytes()
    {
        byte* destination = stackalloc byte[16];
        new Span<byte>(destination, 16).Fill(0xFF);
        EpollAbi.Write(destination, Packed, EpollEvents.In | EpollEvents.EdgeTriggered, 0x0102_0304_0506_0708UL);
        var bytes = new ReadOnlySpan<byte>(destination, 16);

        Assert.Equal((uint)(EpollEvents.In | EpollEvents.EdgeTriggered), MemoryMarshal.Read<uint>(bytes));
        Assert.Equal(0x0102_0304_0506_0708UL, MemoryMarshal.Read<ulong>(bytes[4..]));
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, bytes[12..].ToArray());
    }

    [Fact]
    public void Write_aligned_puts_data_at_8_and_zeroes_the_padding()
    {
        byte* destination = stackalloc byte[16];
        new Span<byte>(destination, 16).Fill(0xFF);
        EpollAbi.Write(destination, Aligned, EpollEvents.Out | EpollEvents.OneShot, 0xF0E0_D0C0_B0A0_9080UL);
        var bytes = new ReadOnlySpan<byte>(destination, 16);

        Assert.Equal((uint)(EpollEvents.Out | EpollEvents.OneShot), MemoryMarshal.Read<uint>(bytes));
        Assert.Equal(0u, MemoryMarshal.Read<uint>(bytes[4..]));
        Assert.Equal(0xF0E0_D0C0_B0A0_9080UL, MemoryMarshal.Read<ulong>(bytes[8..]));
    }

    [Theory]
    [MemberData(nameof(Strides))]
    public void Read_decodes_each_kernel_written_record(int stride)
    {
        const int count = 5;
        byte[] records = new byte[count * stride];
        for (int i = 0; i < count; i++)
        {
            WriteAsKernel(records, stride, i, Sample(i));
        }

        fixed (byte* first = records)
        {
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(Sample(i), EpollAbi.Read(first, stride, i));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Strides))]
    public void Write_then_Read_round_trips(int stride)
    {
        byte* record = stackalloc byte[16];
        EpollEvent value = Sample(42);
        EpollAbi.Write(record, stride, value.Events, value.Data);
        Assert.Equal(value, EpollAbi.Read(record, stride, 0));
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void WidenInPlace_turns_packed_records_into_EpollEvents_in_order(int count)
    {
        const int length = 256;
        var events = new EpollEvent[length];
        Span<byte> bytes = MemoryMarshal.AsBytes(events.AsSpan());
        bytes.Fill(0xAB); // what the previous wait left behind
        for (int i = 0; i < count; i++)
        {
            WriteAsKernel(bytes, Packed, i, Sample(i));
        }

        byte[] before = bytes.ToArray();
        EpollAbi.WidenInPlace(events, count, Packed);

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Sample(i), events[i]);
        }

        if (count == 0)
        {
            Assert.Equal(before, bytes.ToArray()); // nothing to widen: nothing written
        }
        else
        {
            // Entries past count are the caller's to ignore, but widening must not have written beyond 16*count.
            Assert.Equal(before.AsSpan(count * Aligned).ToArray(), bytes[(count * Aligned)..].ToArray());
        }
    }

    [Fact]
    public void WidenInPlace_fills_a_span_of_exactly_count_entries()
    {
        // The worst case for overlap: the kernel filled every slot, so the last record ends at 12n inside 16n bytes.
        const int count = 33;
        var events = new EpollEvent[count];
        Span<byte> bytes = MemoryMarshal.AsBytes(events.AsSpan());
        for (int i = 0; i < count; i++)
        {
            WriteAsKernel(bytes, Packed, i, Sample(i));
        }

        EpollAbi.WidenInPlace(events, count, Packed);
        Assert.Equal(Enumerable.Range(0, count).Select(Sample), events);
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void WidenInPlace_leaves_aligned_records_alone(int count)
    {
        var events = new EpollEvent[Math.Max(count, 1)];
        Span<byte> bytes = MemoryMarshal.AsBytes(events.AsSpan());
        for (int i = 0; i < count; i++)
        {
            WriteAsKernel(bytes, Aligned, i, Sample(i));
        }

        byte[] before = bytes.ToArray();
        EpollAbi.WidenInPlace(events, count, Aligned);

        Assert.Equal(before, bytes.ToArray());
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Sample(i), events[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Strides))]
    public void EpollBuffer_reads_records_in_the_layout_it_was_made_for(int stride)
    {
        const int capacity = 9;
        using var buffer = new EpollBuffer(capacity, stride);
        Assert.Equal(stride, buffer.Stride);
        Assert.Equal(capacity, buffer.Capacity);
        var memory = new Span<byte>(buffer.Memory.Pointer, capacity * stride);
        for (int i = 0; i < capacity; i++)
        {
            WriteAsKernel(memory, stride, i, Sample(i));
        }

        buffer.Count = capacity;
        for (int i = 0; i < capacity; i++)
        {
            Assert.Equal(Sample(i), buffer[i]);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[capacity]);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[-1]);
    }

    [Fact]
    public void EpollBuffer_indexer_is_bounded_by_the_last_count_not_the_capacity()
    {
        using var buffer = new EpollBuffer(8, EpollAbi.NativeStride);
        buffer.Count = 2;
        _ = buffer[1];
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer[2]);
    }

    [Fact]
    public void EpollBuffer_throws_ObjectDisposedException_after_Dispose()
    {
        var buffer = new EpollBuffer(4, EpollAbi.NativeStride) { Count = 1 };
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer[0]);
    }

    [Fact]
    public void A_wait_into_a_buffer_of_the_other_architectures_layout_is_rejected()
    {
        int foreign = EpollAbi.NativeStride == Packed ? Aligned : Packed;
        using var epoll = EpollHandle.Create();
        using var buffer = new EpollBuffer(4, foreign);
        Assert.Throws<ArgumentException>(() => epoll.Wait(buffer, 0));
    }

    [Fact]
    public void Kernel_records_read_through_EpollBuffer_and_the_widened_span_agree()
    {
        using var epoll = EpollHandle.Create();
        var pairs = Enumerable.Range(0, 5).Select(_ => SocketPair.Create()).ToList();
        try
        {
            for (int i = 0; i < pairs.Count; i++)
            {
                epoll.Add(pairs[i].First, EpollEvents.In | EpollEvents.Out, Sample(i).Data);
                pairs[i].Second.Write("x"u8);
            }

            using var buffer = new EpollBuffer(16);
            Span<EpollEvent> span = stackalloc EpollEvent[16];
            Assert.Equal(pairs.Count, epoll.Wait(buffer, 0));
            Assert.Equal(pairs.Count, epoll.Wait(span, 0));

            var fromBuffer = Enumerable.Range(0, buffer.Count).Select(i => buffer[i]).OrderBy(e => e.Data).ToList();
            var fromSpan = span[..pairs.Count].ToArray().OrderBy(e => e.Data).ToList();
            Assert.Equal(fromBuffer, fromSpan);
            Assert.Equal(Enumerable.Range(0, pairs.Count).Select(i => Sample(i).Data), fromSpan.Select(e => e.Data));
            Assert.All(fromSpan, e => Assert.Equal(EpollEvents.In | EpollEvents.Out, e.Events));
        }
        finally
        {
            foreach (var (first, second) in pairs)
            {
                first.Dispose();
                second.Dispose();
            }
        }
    }
}
