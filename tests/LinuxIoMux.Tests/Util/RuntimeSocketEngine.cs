using System.Net;
using System.Net.Sockets;

namespace LinuxIoMux.Tests.Util;

/// <summary>
/// Starts the runtime's own socket engine (System.Net.Sockets' epoll descriptor and its wake-up pipe), which the
/// runtime opens on the first Socket operation that has to wait and keeps for the life of the process. A leak check
/// whose baseline is taken before that would count the runtime's descriptors as leaked by the test (seen in the
/// arm64 run, where the test order differs: "+90 -> anon_inode:[eventpoll], +91 -> ?").
/// </summary>
internal static class RuntimeSocketEngine
{
    private static readonly Lazy<bool> s_started = new(Start);

    public static void EnsureStarted() => _ = s_started.Value;

    private static bool Start()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        Task<Socket> accept = listener.AcceptAsync(); // nothing to accept yet: waits through the runtime's engine
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using Socket accepted = accept.GetAwaiter().GetResult();
        return true;
    }
}
