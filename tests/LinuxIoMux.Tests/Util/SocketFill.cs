namespace LinuxIoMux.Tests.Util;

/// <summary>Fills a non-blocking socket's send path until write says EAGAIN, so it is no longer writable.</summary>
internal static class SocketFill
{
    /// <returns>The number of bytes written before EAGAIN.</returns>
    public static long UntilFull(FileDescriptorHandle socket)
    {
        Span<byte> chunk = stackalloc byte[4096];
        long total = 0;
        while (true)
        {
            int written = socket.Write(chunk);
            if (written < 0)
            {
                return total;
            }

            total += written;
            if (total > 256L * 1024 * 1024)
            {
                throw new InvalidOperationException("The socket never filled: is it blocking-free and unread?");
            }
        }
    }
}
