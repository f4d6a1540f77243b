namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>The parts of one parsed request the server acts on, as ranges into the receive buffer.</summary>
/// <param name="Method">The method token.</param>
/// <param name="Target">The path and query; for an absolute-form target the part after the authority (empty means "/").</param>
/// <param name="KeepAlive">Whether the connection stays open after the response.</param>
/// <param name="IsHttp10">An HTTP/1.0 request: persistent only when it asked for it, and then the response must say so.</param>
/// <param name="Length">Bytes the request occupies, with any empty lines before it and its body.</param>
internal readonly record struct HttpRequest(Range Method, Range Target, bool KeepAlive, bool IsHttp10, int Length);
