namespace LinuxIoMux.Samples.HttpPlaintext.Protocol;

/// <summary>The parts of one parsed request the server acts on, as ranges into the receive buffer.</summary>
internal readonly record struct HttpRequest(Range Method, Range Target, bool KeepAlive, int Length);
