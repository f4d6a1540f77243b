using LinuxIoMux.AspNetCore;

namespace LinuxIoMux.Samples.KestrelPlaintext;

/// <summary>The sample's own options (--transport, --backend, --loops, --mode), taken out of the arguments before
/// ASP.NET Core's configuration sees the rest.</summary>
public sealed record TransportChoice(bool LinuxIoMux, MultiplexerKind Backend, int Loops, ApplicationScheduling Mode)
{
    /// <summary>Parses and removes the sample's options; throws <see cref="ArgumentException"/> naming a bad value.</summary>
    public static TransportChoice Parse(List<string> args)
    {
        string transport = Take(args, "--transport") ?? "sockets";
        string backend = Take(args, "--backend") ?? "epoll";
        string loops = Take(args, "--loops") ?? "0";
        string mode = Take(args, "--mode") ?? "inline";
        return new TransportChoice(
            transport switch
            {
                "sockets" => false,
                "linuxiomux" => true,
                _ => throw new ArgumentException($"--transport {transport}: expected linuxiomux or sockets"),
            },
            backend switch
            {
                "epoll" => MultiplexerKind.Epoll,
                "poll" => MultiplexerKind.Poll,
                "select" => MultiplexerKind.Select,
                "io_uring" => MultiplexerKind.IoUring,
                _ => throw new ArgumentException($"--backend {backend}: expected epoll, poll, select or io_uring"),
            },
            int.TryParse(loops, out int count) && count >= 0 ? count : throw new ArgumentException($"--loops {loops}: expected a count >= 0"),
            mode switch
            {
                "inline" => ApplicationScheduling.Inline,
                "threadpool" => ApplicationScheduling.ThreadPool,
                _ => throw new ArgumentException($"--mode {mode}: expected inline or threadpool"),
            });
    }

    /// <summary>Applies the choice to the web host: nothing for sockets, UseLinuxIoMux otherwise.</summary>
    public void Apply(WebApplicationBuilder builder)
    {
        if (LinuxIoMux)
        {
            builder.WebHost.UseLinuxIoMux(options =>
            {
                options.Backend = Backend;
                options.LoopCount = Loops;
                options.ApplicationScheduling = Mode;
            });
        }
    }

    private static string? Take(List<string> args, string name)
    {
        int at = args.IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= args.Count)
        {
            throw new ArgumentException($"{name}: a value is missing");
        }

        string value = args[at + 1];
        args.RemoveRange(at, 2);
        return value;
    }
}
