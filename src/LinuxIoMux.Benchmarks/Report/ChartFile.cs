using LinuxIoMux.Benchmarks.Scaling;

namespace LinuxIoMux.Benchmarks.Report;

/// <summary>A PNG chart written beside report.md.</summary>
/// <param name="FileName">The file name, relative to the report.</param>
/// <param name="Title">Its title, also the image's alt text.</param>
/// <param name="Transport">The scaling series it plots, or null for the latency chart.</param>
/// <param name="Active">The series' active count (0 for the latency chart).</param>
/// <param name="IsEcho">True for the echo charts.</param>
internal sealed record ChartFile(string FileName, string Title, Transport? Transport, int Active, bool IsEcho = false);
