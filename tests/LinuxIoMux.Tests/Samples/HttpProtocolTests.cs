using System.Buffers;
using System.Text;
using LinuxIoMux.Samples.HttpPlaintext.Protocol;

namespace LinuxIoMux.Tests.Samples;

/// <summary>The HTTP/1.1 parser and responder of samples/HttpPlaintext, fed bytes directly (no sockets).</summary>
public class HttpProtocolTests
{
    private const string Get = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private readonly HttpConnectionProcessor _processor = new(new HttpDate());

    private string Run(string input, out bool close, out int consumed)
    {
        var output = new ArrayBufferWriter<byte>();
        consumed = _processor.Process(Encoding.ASCII.GetBytes(input), output, int.MaxValue, out close);
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    private static int CountResponses(string output, string statusLine) =>
        output.Split(statusLine).Length - 1;

    [Fact]
    public void Plaintext_gets_hello_world_with_length_and_date_and_keeps_the_connection()
    {
        string response = Run(Get, out bool close, out int consumed);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        Assert.Contains("\r\nContent-Length: 13\r\n", response);
        Assert.Matches(@"\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n", response);
        Assert.EndsWith("\r\n\r\nHello, World!", response);
        Assert.False(close);
        Assert.Equal(Get.Length, consumed);
    }

    [Fact]
    public void Pipelined_requests_get_one_response_each_in_order()
    {
        string pipeline = string.Concat(Enumerable.Repeat(Get, 16)) + "GET /missing HTTP/1.1\r\n\r\n";
        string output = Run(pipeline, out bool close, out int consumed);
        Assert.Equal(16, CountResponses(output, "HTTP/1.1 200 OK\r\n"));
        Assert.Equal(1, CountResponses(output, "HTTP/1.1 404 Not Found\r\n"));
        Assert.True(output.IndexOf("404 Not Found", StringComparison.Ordinal) > output.LastIndexOf("200 OK", StringComparison.Ordinal));
        Assert.False(close);
        Assert.Equal(pipeline.Length, consumed);
    }

    [Fact]
    public void A_partial_request_is_kept_for_the_next_read()
    {
        string output = Run(Get + "GET /plain", out _, out int consumed);
        Assert.Equal(1, CountResponses(output, "HTTP/1.1 200 OK\r\n"));
        Assert.Equal(Get.Length, consumed);
    }

    [Fact]
    public void Connection_close_and_http10_close_after_the_response()
    {
        Assert.Contains("Connection: close", Run("GET /plaintext HTTP/1.1\r\nConnection: close\r\n\r\n", out bool close, out _));
        Assert.True(close);
        Run("GET /plaintext HTTP/1.0\r\n\r\n", out close, out _);
        Assert.True(close);
        Run("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", out close, out _);
        Assert.False(close);
    }

    /// <summary>Issue 9 defect 11: an HTTP/1.0 request that asks to stay open was kept open without saying so.</summary>
    [Fact]
    public void An_http10_keep_alive_request_is_answered_with_connection_keep_alive()
    {
        string response = Run("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", out bool close, out _);
        Assert.Contains("\r\nConnection: keep-alive\r\n", response);
        Assert.False(close);
        Assert.DoesNotContain("Connection:", Run(Get, out _, out _)); // HTTP/1.1 is persistent without the header
    }

    /// <summary>Issue 9 defect 11: RFC 9112 section 2.2 asks a server to ignore at least one empty line before a request line.</summary>
    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("\n")]
    public void Empty_lines_before_the_request_line_are_ignored(string prefix)
    {
        string input = prefix + Get + prefix + Get;
        string output = Run(input, out bool close, out int consumed);
        Assert.Equal(2, CountResponses(output, "HTTP/1.1 200 OK\r\n"));
        Assert.False(close);
        Assert.Equal(input.Length, consumed);
    }

    /// <summary>Issue 9 defect 11: RFC 9112 section 3.2.2 says a server must accept the absolute form of a target.</summary>
    [Theory]
    [InlineData("http://localhost/plaintext", 200)]
    [InlineData("HTTP://localhost:8080/plaintext", 200)]
    [InlineData("http://localhost/missing", 404)]
    [InlineData("http://localhost", 404)]
    [InlineData("http:/plaintext", 400)]
    [InlineData("://localhost/plaintext", 400)]
    public void An_absolute_form_target_is_served_by_its_path(string target, int status)
    {
        string output = Run($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n", out _, out _);
        Assert.StartsWith($"HTTP/1.1 {status} ", output);
    }

    /// <summary>
    /// Issue 9 defect 11: a request whose lines end in LF alone never completed (the parser looked for CRLF CRLF only)
    /// and hung until the request timeout. RFC 9112 section 2.2 allows a recipient to take LF as the line terminator.
    /// </summary>
    [Fact]
    public void Lf_only_line_endings_are_accepted()
    {
        const string LfGet = "GET /plaintext HTTP/1.1\nHost: localhost\n\n";
        const string MixedGet = "GET /plaintext HTTP/1.1\r\nHost: localhost\n\r\n";
        string output = Run(LfGet + MixedGet, out bool close, out int consumed);
        Assert.Equal(2, CountResponses(output, "HTTP/1.1 200 OK\r\n"));
        Assert.False(close);
        Assert.Equal(LfGet.Length + MixedGet.Length, consumed);
        Assert.StartsWith("HTTP/1.1 400 ", Run("GET /plaintext HTTP/1.1\r\nX: a\rb\r\n\r\n", out close, out _)); // a bare CR stays an error
        Assert.True(close);
    }

    [Fact]
    public void A_body_is_read_and_discarded_and_other_methods_get_405()
    {
        const string Post = "POST /plaintext HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        string output = Run(Post + Get, out bool close, out int consumed);
        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", output);
        Assert.Equal(1, CountResponses(output, "HTTP/1.1 200 OK\r\n"));
        Assert.False(close);
        Assert.Equal(Post.Length + Get.Length, consumed);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", 400)]
    [InlineData("GET plaintext HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /plaintext HTTP/2.0\r\n\r\n", 505)]
    [InlineData("GET /plaintext HTTP/1.1\r\nNoColon\r\n\r\n", 400)]
    [InlineData("GET /plaintext HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400)]
    [InlineData("GET /plaintext HTTP/1.1\r\nContent-Length: 1073741824\r\n\r\n", 413)]
    [InlineData("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501)]
    public void Malformed_or_oversized_requests_get_their_status_and_close(string input, int status)
    {
        string output = Run(input, out bool close, out _);
        Assert.StartsWith($"HTTP/1.1 {status} ", output);
        Assert.Contains("Connection: close", output);
        Assert.True(close);
    }

    [Fact]
    public void Headers_that_never_end_are_refused_once_past_the_limit()
    {
        string endless = "GET /plaintext HTTP/1.1\r\nX-Filler: " + new string('a', HttpLimits.MaxHeaderBytes);
        string output = Run(endless, out bool close, out _);
        Assert.StartsWith("HTTP/1.1 431 ", output);
        Assert.True(close);
    }
}
