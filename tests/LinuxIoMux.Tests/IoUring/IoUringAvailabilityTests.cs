using System.Diagnostics;
using LinuxIoMux.IoUring;
using LinuxIoMux.Tests.Util;

namespace LinuxIoMux.Tests.IoUringBackend;

/// <summary>
/// What a user sees where io_uring cannot run: a sample server started with <c>--backend io_uring</c> under a real
/// seccomp filter (native/seccomp/deny_io_uring, the way Docker's default profile blocks it) exits 1 with a message that
/// names the cause and the fix; the sysctl messages; and <see cref="Multiplexer.IsSupported"/> in this process.
/// </summary>
public class IoUringAvailabilityTests
{
    private static readonly TimeSpan HangDetector = TimeSpan.FromSeconds(60);

    [SkippableTheory]
    [InlineData("EPERM", "blocked for this process", "--security-opt seccomp=")]
    [InlineData("ENOSYS", "io_uring is missing", "ENOSYS")]
    public void A_server_asked_for_io_uring_under_a_seccomp_filter_exits_1_naming_the_cause_and_the_fix(string errno, string cause, string fix)
    {
        string root = RepositoryRoot.Require();
        string native = Environment.GetEnvironmentVariable("LINUXIOMUX_NATIVE_DIR") is { Length: > 0 } dir ? dir : Path.Combine(root, "artifacts", "native");
        string wrapper = Path.Combine(native, "deny_io_uring");
        Skip.IfNot(File.Exists(wrapper), $"{wrapper} is not built: run ./build.sh build (./build.sh test does)");
        // Under qemu-user (./build.sh test-arm64) io_uring_setup is ENOSYS without any filter: what the filter causes
        // could not be told apart from that.
        Skip.IfNot(Multiplexer.IsSupported(MultiplexerKind.IoUring), "io_uring is unavailable here even without a seccomp filter");

        var start = new ProcessStartInfo(wrapper) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { errno, "dotnet", Path.Combine(AppContext.BaseDirectory, "EchoServer.dll"), "--backend", "io_uring", "--port", "0", "--loops", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        Task<string> errors = child.StandardError.ReadToEndAsync();
        bool exited = child.WaitForExit(HangDetector);
        if (!exited)
        {
            child.Kill(); // it started serving: the filter did not stop io_uring
        }

        child.WaitForExit();
        string printed = output.Result + errors.Result;
        Assert.True(exited, $"hang detector: the server ran on io_uring although io_uring_setup fails with {errno}: {printed}");
        Assert.Equal(1, child.ExitCode);
        Assert.Contains($"io_uring_setup failed with {errno}", printed);
        Assert.Contains(cause, printed);
        Assert.Contains(fix, printed);
        Assert.DoesNotContain("Unhandled exception", printed);
    }

    [Theory]
    [InlineData("2", "kernel.io_uring_disabled = 2", "sysctl -w kernel.io_uring_disabled=0")]
    [InlineData("1", "kernel.io_uring_disabled = 1", "gid 1234")]
    [InlineData("0", "seccomp", "--security-opt seccomp=")]
    [InlineData(null, "absent (kernel before 6.6)", "--security-opt seccomp=")]
    public void An_EPERM_is_explained_by_the_sysctl_when_it_is_set_and_by_seccomp_when_it_is_not(string? disabled, string cause, string fix)
    {
        string message = IoUringUnavailable.Explain(Errno.EPERM, disabled, "1234");
        Assert.Contains(cause, message);
        Assert.Contains(fix, message);
        Assert.Contains("MultiplexerKind.Epoll", message);
    }

    [Fact]
    public void IsSupported_says_yes_for_the_classic_backends_and_for_io_uring_exactly_when_a_ring_can_be_created()
    {
        Assert.True(Multiplexer.IsSupported(MultiplexerKind.Epoll));
        Assert.True(Multiplexer.IsSupported(MultiplexerKind.Poll));
        Assert.True(Multiplexer.IsSupported(MultiplexerKind.Select));
        Assert.Throws<ArgumentOutOfRangeException>(() => Multiplexer.IsSupported((MultiplexerKind)99));

        bool created;
        try
        {
            Multiplexer.Create(MultiplexerKind.IoUring).Dispose();
            created = true;
        }
        catch (PlatformNotSupportedException e)
        {
            Assert.IsType<UnixException>(e.InnerException);
            created = false;
        }

        Assert.Equal(created, Multiplexer.IsSupported(MultiplexerKind.IoUring));
    }
}
