using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using LinuxIoMux.Samples.HttpPlaintext.Protocol;
using LinuxIoMux.Samples.RespServer.Protocol;
using LinuxIoMux.Samples.RespServer.Storage;
using LinuxIoMux.Tests.Util;
using Xunit.Abstractions;

namespace LinuxIoMux.Tests.Reliability;

/// <summary>
/// Fuzzing the sample servers' protocol code (RespRequestParser + RespCommandProcessor, HttpRequestParser +
/// HttpConnectionProcessor) with CsCheck: random bytes, mutated valid requests, and valid pipelines cut into random
/// reads. Properties: no exception escapes; consumed is within the input; the output exceeds the output limit by at
/// most one reply; cutting the input into reads never changes the replies (split at any point).
/// </summary>
public partial class ProtocolFuzzTests
{
    private readonly ITestOutputHelper _output;

    public ProtocolFuzzTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static int Iterations => ReliabilityRun.Pick(10_000, 200_000);

    // ---- generators -------------------------------------------------------------------------------------------

    private static readonly Gen<byte[]> s_word = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789:_-"].Array[1, 12]
        .Select(chars => Encoding.ASCII.GetBytes(chars));

    private static readonly Gen<byte[]> s_binary = Gen.Byte.Array[0, 40];

    /// <summary>One RESP command as its arguments (QUIT left out: it ends the pipeline).</summary>
    private static readonly Gen<byte[][]> s_respCommand = Gen.OneOf(
        Gen.Const<byte[][]>([B("PING")]),
        s_binary.Select(m => new[] { B("PING"), m }),
        s_binary.Select(m => new[] { B("ECHO"), m }),
        Gen.Select(s_word, s_binary, (k, v) => new[] { B("SET"), k, v }),
        s_word.Select(k => new[] { B("GET"), k }),
        s_word.Select(k => new[] { B("INCR"), k }),
        s_word.Array[1, 4].Select(keys => keys.Prepend(B("DEL")).ToArray()),
        s_word.Array[1, 4].Select(keys => keys.Prepend(B("EXISTS")).ToArray()),
        Gen.Const<byte[][]>([B("CONFIG"), B("GET"), B("save")]),
        Gen.Const<byte[][]>([B("COMMAND")]),
        s_word.Array[1, 3]);

    /// <summary>A RESP pipeline: each command as multibulk, or inline when its arguments allow it.</summary>
    private static readonly Gen<byte[]> s_respPipeline = Gen.Select(s_respCommand, Gen.Bool).Array[1, 8].Select(commands =>
    {
        var bytes = new List<byte>();
        foreach ((byte[][] arguments, bool inline) in commands)
        {
            // Inline lines split on blanks and take quotes as redis-server does (issue 9 defect 10): arguments with
            // either go multibulk, so the inline form means the same arguments.
            bool inlineable = arguments.All(a => a.Length > 0
                && !a.Any(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'"' or (byte)'\''));
            if (inline && inlineable && arguments[0][0] != (byte)'*')
            {
                bytes.AddRange(Encoding.ASCII.GetBytes(string.Join(' ', arguments.Select(Encoding.Latin1.GetString)) + "\r\n"));
                continue;
            }

            bytes.AddRange(Encoding.ASCII.GetBytes($"*{arguments.Length}\r\n"));
            foreach (byte[] argument in arguments)
            {
                bytes.AddRange(Encoding.ASCII.GetBytes($"${argument.Length}\r\n"));
                bytes.AddRange(argument);
                bytes.AddRange("\r\n"u8.ToArray());
            }
        }

        return bytes.ToArray();
    });

    private static readonly Gen<byte[]> s_httpRequest = Gen.Select(
        Gen.OneOf(Gen.Const("GET"), Gen.Const("POST"), Gen.Const("HEAD")),
        Gen.OneOf(Gen.Const("/plaintext"), Gen.Const("/"), Gen.Const("/other?x=1")),
        Gen.OneOf(Gen.Const("HTTP/1.1"), Gen.Const("HTTP/1.0")),
        Gen.OneOf(Gen.Const(""), Gen.Const("Connection: keep-alive\r\n"), Gen.Const("Connection: close\r\n")),
        s_word.Array[0, 3],
        Gen.Byte.Array[0, 30],
        (method, target, version, connection, headers, body) =>
        {
            var text = new StringBuilder($"{method} {target} {version}\r\nHost: fuzz\r\n{connection}");
            foreach (byte[] header in headers)
            {
                text.Append($"X-{Encoding.ASCII.GetString(header)}: {header.Length}\r\n");
            }

            if (method == "POST")
            {
                text.Append($"Content-Length: {body.Length}\r\n");
            }

            text.Append("\r\n");
            byte[] head = Encoding.ASCII.GetBytes(text.ToString());
            return method == "POST" ? [.. head, .. body] : head;
        });

    private static readonly Gen<byte[]> s_httpPipeline = s_httpRequest.Array[1, 6].Select(requests => requests.SelectMany(r => r).ToArray());

    /// <summary>Flips, inserts, deletes, duplicates or truncates a few bytes of a valid input.</summary>
    private static Gen<byte[]> Mutated(Gen<byte[]> valid) => Gen.Select(valid, Gen.Int[1, 4], Gen.UInt).Select((input, mutations, seed) =>
    {
        var random = new Random((int)seed);
        var bytes = new List<byte>(input);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.Insert(at, "\r\n*$:-0123456789 "u8[random.Next(17)]); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(8, bytes.Count - at))); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return bytes.ToArray();
    });

    /// <summary>Cut points of a random split into reads.</summary>
    private static Gen<(byte[] Input, int[] Cuts)> Split(Gen<byte[]> input) =>
        input.SelectMany(bytes => Gen.Int[0, bytes.Length].Array[0, 6].Select(cuts => (bytes, cuts.Distinct().Order().ToArray())));

    // ---- RESP -------------------------------------------------------------------------------------------------

    [Fact]
    public void Resp_random_bytes_and_mutated_requests_never_throw_and_stay_in_bounds()
    {
        long inputs = 0;
        Gen<byte[]> hostile = Gen.OneOf(Gen.Byte.Array[0, 600], Mutated(s_respPipeline), HostileResp());
        Gen.Select(hostile, Gen.Int[1, 2048]).Sample((input, limit) =>
        {
            inputs++;
            AssertProcessorInvariants(new RespCommandProcessor(new KeyValueStore()).Process, RespLimits.MaxRequestBytes, input, limit, maxReplyBytes: input.Length + 256);
        }, iter: Iterations, threads: 1);
        ReliabilityRun.Figure(_output, $"RESP fuzz: {inputs} hostile inputs (random bytes, mutated pipelines, oversized lengths), 0 exceptions");
    }

    [Fact]
    public void Resp_pipeline_split_into_random_reads_gives_the_same_replies()
    {
        long inputs = 0;
        Gen.Select(Split(s_respPipeline), Gen.Int[16, 4096]).Sample((split, limit) =>
        {
            inputs++;
            (byte[] whole, bool closeWhole) = Drive(new RespCommandProcessor(new KeyValueStore()).Process, split.Input, [], limit);
            (byte[] pieces, bool closePieces) = Drive(new RespCommandProcessor(new KeyValueStore()).Process, split.Input, split.Cuts, limit);
            Assert.False(closeWhole, "a valid pipeline closed the connection");
            Assert.Equal(closeWhole, closePieces);
            Assert.Equal(Encoding.Latin1.GetString(whole), Encoding.Latin1.GetString(pieces));
        }, iter: Iterations, threads: 1);
        ReliabilityRun.Figure(_output, $"RESP split: {inputs} valid pipelines cut into random reads, replies identical");
    }

    [Fact]
    public void Resp_request_split_at_every_point_gives_the_same_replies()
    {
        long inputs = 0;
        s_respPipeline.Sample(input =>
        {
            (byte[] whole, _) = Drive(new RespCommandProcessor(new KeyValueStore()).Process, input, [], 1 << 20);
            for (int cut = 0; cut <= input.Length; cut++)
            {
                inputs++;
                (byte[] pieces, _) = Drive(new RespCommandProcessor(new KeyValueStore()).Process, input, [cut], 1 << 20);
                Assert.True(whole.AsSpan().SequenceEqual(pieces), $"split at {cut} of {input.Length} changed the replies");
            }
        }, iter: Iterations / 10, threads: 1);
        ReliabilityRun.Figure(_output, $"RESP every split point: {inputs} two-read deliveries, replies identical");
    }

    /// <summary>Inputs aimed at the limits: huge or negative lengths, endless header lines, too many arguments.</summary>
    private static Gen<byte[]> HostileResp() => Gen.OneOf(
        Gen.Long.Select(n => Encoding.ASCII.GetBytes($"*1\r\n${n}\r\n")),
        Gen.Long.Select(n => Encoding.ASCII.GetBytes($"*{n}\r\n$4\r\nPING\r\n")),
        Gen.Int[30, 200].Select(n => Encoding.ASCII.GetBytes("*" + new string('9', n))),
        Gen.Int[1, 3000].Select(n => Encoding.ASCII.GetBytes($"*{n}\r\n" + string.Concat(Enumerable.Repeat("$1\r\nx\r\n", Math.Min(n, 1100))))),
        Gen.Int[0, 70_000].Select(n => Encoding.ASCII.GetBytes(new string('a', n))));

    // ---- HTTP -------------------------------------------------------------------------------------------------

    [Fact]
    public void Http_random_bytes_and_mutated_requests_never_throw_and_stay_in_bounds()
    {
        long inputs = 0;
        Gen<byte[]> hostile = Gen.OneOf(Gen.Byte.Array[0, 600], Mutated(s_httpPipeline),
            Gen.Int[0, 20_000].Select(n => Encoding.ASCII.GetBytes("GET /" + new string('a', n) + " HTTP/1.1\r\n")),
            Gen.Long.Select(n => Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nContent-Length: {n}\r\n\r\n")));
        Gen.Select(hostile, Gen.Int[1, 2048]).Sample((input, limit) =>
        {
            inputs++;
            AssertProcessorInvariants(new HttpConnectionProcessor(new HttpDate()).Process, HttpLimits.MaxRequestBytes, input, limit, maxReplyBytes: 512);
        }, iter: Iterations, threads: 1);
        ReliabilityRun.Figure(_output, $"HTTP fuzz: {inputs} hostile inputs (random bytes, mutated pipelines, oversized lines and lengths), 0 exceptions");
    }

    [Fact]
    public void Http_pipeline_split_into_random_reads_gives_the_same_replies()
    {
        long inputs = 0;
        Gen.Select(Split(s_httpPipeline), Gen.Int[16, 4096]).Sample((split, limit) =>
        {
            inputs++;
            (byte[] whole, bool closeWhole) = Drive(new HttpConnectionProcessor(new HttpDate()).Process, split.Input, [], limit);
            (byte[] pieces, bool closePieces) = Drive(new HttpConnectionProcessor(new HttpDate()).Process, split.Input, split.Cuts, limit);
            Assert.Equal(closeWhole, closePieces);
            Assert.Equal(WithoutDate(whole), WithoutDate(pieces));
        }, iter: Iterations, threads: 1);
        ReliabilityRun.Figure(_output, $"HTTP split: {inputs} valid pipelines cut into random reads, replies identical");
    }

    [Fact]
    public void Http_request_split_at_every_point_gives_the_same_replies()
    {
        long inputs = 0;
        s_httpPipeline.Sample(input =>
        {
            (byte[] whole, _) = Drive(new HttpConnectionProcessor(new HttpDate()).Process, input, [], 1 << 20);
            for (int cut = 0; cut <= input.Length; cut++)
            {
                inputs++;
                (byte[] pieces, _) = Drive(new HttpConnectionProcessor(new HttpDate()).Process, input, [cut], 1 << 20);
                Assert.Equal(WithoutDate(whole), WithoutDate(pieces));
            }
        }, iter: Iterations / 10, threads: 1);
        ReliabilityRun.Figure(_output, $"HTTP every split point: {inputs} two-read deliveries, replies identical");
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private static void AssertProcessorInvariants(ProcessCall process, int maxRequestBytes, byte[] input, int outputLimit, int maxReplyBytes)
    {
        var output = new ArrayBufferWriter<byte>();
        int consumed = process(input, output, outputLimit, out bool close);
        Assert.InRange(consumed, 0, input.Length);
        // The limit is checked before each request, so one reply may cross it, never more.
        Assert.True(output.WrittenCount <= outputLimit + maxReplyBytes,
            $"{output.WrittenCount} bytes of output for a limit of {outputLimit} ({input.Length} bytes of input)");
        // Back-pressure: with the output already at the limit, the processor takes no request at all.
        var full = new ArrayBufferWriter<byte>();
        full.GetSpan(outputLimit);
        full.Advance(outputLimit);
        Assert.Equal(0, process(input, full, outputLimit, out bool closeWhenFull));
        Assert.Equal(outputLimit, full.WrittenCount);
        Assert.False(closeWhenFull);

        if (!close && consumed < input.Length && output.WrittenCount < outputLimit)
        {
            // Whatever is left must be an incomplete request that fits the connection's buffer, or it would never be answered.
            Assert.True(input.Length - consumed < maxRequestBytes, "an unconsumed remainder as large as the request buffer");
        }
    }

    /// <summary>
    /// Feeds <paramref name="input"/> in the reads given by <paramref name="cuts"/> the way ProtocolConnection does:
    /// append, process, drop what was consumed, and (after a "flush" of the output) process again until nothing moves.
    /// </summary>
    private static (byte[] Replies, bool Close) Drive(ProcessCall process, byte[] input, int[] cuts, int outputLimit)
    {
        var replies = new List<byte>();
        var buffer = new List<byte>();
        var output = new ArrayBufferWriter<byte>();
        int start = 0;
        foreach (int end in cuts.Append(input.Length))
        {
            buffer.AddRange(input.AsSpan(start, end - start).ToArray());
            start = end;
            while (buffer.Count > 0)
            {
                int consumed = process(buffer.ToArray(), output, outputLimit, out bool close);
                replies.AddRange(output.WrittenSpan.ToArray());
                output.ResetWrittenCount();
                buffer.RemoveRange(0, consumed);
                if (close)
                {
                    return (replies.ToArray(), true);
                }

                if (consumed == 0)
                {
                    break;
                }
            }
        }

        return (replies.ToArray(), false);
    }

    /// <summary>IRequestProcessor.Process (the interface is compiled into both sample assemblies, so it cannot be named here).</summary>
    private delegate int ProcessCall(ReadOnlySpan<byte> input, ArrayBufferWriter<byte> output, int outputLimit, out bool close);

    private static string WithoutDate(byte[] replies) => DateHeader().Replace(Encoding.Latin1.GetString(replies), "Date: *\r\n");

    private static byte[] B(string text) => Encoding.ASCII.GetBytes(text);

    [GeneratedRegex("Date: [^\r]*\r\n")]
    private static partial Regex DateHeader();
}
