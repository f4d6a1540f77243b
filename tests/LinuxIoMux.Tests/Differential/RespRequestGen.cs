using System.Text;
using CsCheck;

namespace LinuxIoMux.Tests.Differential;

/// <summary>
/// Generated RESP pipelines for the comparison with redis-server: RespServer's commands with keys and values from
/// small pools, each encoded as multibulk or as an inline line with random quoting, separators and line ends.
/// </summary>
internal static class RespRequestGen
{
    private static readonly string[] s_keys = ["k", "n", "counter", "a b", "", "\r\n", "q\"uote", "it's", "\xd0\xba\xd0\xbb"];

    /// <summary>Values, integers among them in spellings redis-server refuses ("+5", "007", "-0", " 5").</summary>
    private static readonly string[] s_values =
    [
        "", "0", "1", "-1", "41", "+5", "007", "-0", " 5", "5 ", "5.0", "1e3", long.MaxValue.ToString(), (long.MaxValue - 1).ToString(),
        long.MinValue.ToString(), "9223372036854775808", "hello world", "x\"y\\z", "\0\x01\x7f\xff", "tab\there", "a'b",
    ];

    private static readonly Gen<string> s_key = Gen.OneOf(s_keys);
    private static readonly Gen<string> s_value = Gen.OneOf(Gen.OneOf(s_values), Gen.Int[-3, 3].Select(i => i.ToString()));

    /// <summary>One command as its arguments (QUIT left out: it would end the pipeline).</summary>
    private static readonly Gen<string[]> s_command = Gen.OneOf(
        Gen.Const<string[]>(["PING"]),
        s_value.Select(v => new[] { "PING", v }),
        s_value.Select(v => new[] { "ECHO", v }),
        Gen.Select(s_key, s_value, (k, v) => new[] { "SET", k, v }),
        Gen.Select(s_key, s_value, (k, v) => new[] { "set", k, v }),
        s_key.Select(k => new[] { "GET", k }),
        s_key.Select(k => new[] { "INCR", k }),
        s_key.Array[1, 5].Select(keys => keys.Prepend("DEL").ToArray()),
        s_key.Array[1, 5].Select(keys => keys.Prepend("EXISTS").ToArray()),
        Gen.OneOf("save", "appendonly", "SAVE", "nosuch").Select(p => new[] { "CONFIG", "GET", p }),
        Gen.OneOf("GET", "INCR", "ECHO", "EXISTS", "DEL", "CONFIG", "SET").Select(name => new[] { name }),
        Gen.Select(Gen.OneOf("GET", "INCR", "ECHO"), s_value, s_value, (name, a, b) => new[] { name, a, b }),
        Gen.Select(Gen.OneOf("ZZNOPE", "zzfly", "Zz"), s_value.Array[0, 3], (name, rest) => rest.Prepend(name).ToArray()));

    /// <summary>One command as bytes: multibulk, or inline when the coin says so.</summary>
    private static readonly Gen<byte[]> s_request = Gen.Select(s_command, Gen.Int[0, 3], Gen.UInt, (arguments, form, seed) =>
        form == 0 ? Multibulk(arguments) : Inline(arguments, new Random((int)seed)));

    /// <summary>A pipeline of 1 to 8 commands in one write.</summary>
    public static readonly Gen<byte[]> Pipeline = s_request.Array[1, 8].Select(requests => requests.SelectMany(r => r).ToArray());

    private static byte[] Multibulk(string[] arguments)
    {
        var text = new StringBuilder($"*{arguments.Length}\r\n");
        foreach (string argument in arguments)
        {
            text.Append($"${Encoding.Latin1.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>
    /// An inline line: each argument bare when it can be, else (or at random) in double quotes with \xHH, \n, \r, \t,
    /// \" and \\ escapes, or in single quotes when it has no quote or backslash; spaces or tabs between; CRLF or LF at the end.
    /// </summary>
    private static byte[] Inline(string[] arguments, Random random)
    {
        var line = new StringBuilder(random.Next(4) == 0 ? " " : "");
        foreach (string argument in arguments)
        {
            bool bare = argument.Length > 0 && argument.All(c => c is > ' ' and < '\x7f' and not '"' and not '\'' and not '\\');
            bool singleQuotable = argument.All(c => c is >= ' ' and < '\x7f' and not '\'' and not '\\');
            int style = bare && random.Next(3) != 0 ? 0 : singleQuotable && random.Next(2) == 0 ? 1 : 2;
            line.Append(style switch
            {
                0 => argument,
                1 => $"'{argument}'",
                _ => DoubleQuoted(argument, random),
            });
            line.Append(random.Next(3) == 0 ? "\t" : random.Next(4) == 0 ? "  " : " ");
        }

        line.Length--; // the last separator
        line.Append(random.Next(3) == 0 ? "\n" : "\r\n");
        return Encoding.Latin1.GetBytes(line.ToString());
    }

    private static string DoubleQuoted(string argument, Random random)
    {
        var text = new StringBuilder("\"");
        foreach (char c in argument)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' when random.Next(2) == 0 => "\\n",
                '\r' when random.Next(2) == 0 => "\\r",
                '\t' when random.Next(2) == 0 => "\\t",
                >= ' ' and < '\x7f' => random.Next(8) == 0 ? $"\\x{(int)c:X2}" : c.ToString(),
                _ => $"\\x{(int)c:x2}",
            });
        }

        return text.Append('"').ToString();
    }
}
