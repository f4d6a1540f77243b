using System.Runtime.Versioning;

// Every type here wraps a Linux syscall (epoll, eventfd, signalfd, ...): say so once for the whole assembly, so that
// the platform analyzer (CA1416) tells a caller building for any OS to guard the call or mark itself Linux-only.
[assembly: SupportedOSPlatform("linux")]
