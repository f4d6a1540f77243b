using LinuxIoMux.TestRunner;

// Usage: LinuxIoMux.TestRunner [--label WORD] [--filter TEXT]... [--exclude TEXT]... [--test-timeout MINUTES]
//   --label          word printed before the summary line ("arm64: N passed, N failed, N skipped")
//   --filter         run only tests whose "Namespace.Class.Method" contains TEXT (repeatable: any of them)
//   --exclude        leave out tests whose "Namespace.Class.Method" contains TEXT (repeatable)
//   --test-timeout   give up, counting a failure, when one test runs longer than this (default 15 minutes)
// Exit code: 0 when tests ran and none failed, 1 otherwise, 2 for bad arguments.
RunnerOptions options;
try
{
    options = RunnerOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"LinuxIoMux.TestRunner: {e.Message}");
    return 2;
}

string assembly = Path.Combine(AppContext.BaseDirectory, "LinuxIoMux.Tests.dll");
if (!File.Exists(assembly))
{
    Console.Error.WriteLine($"LinuxIoMux.TestRunner: {assembly} is missing");
    return 2;
}

SuiteResult result = SuiteRun.Execute(assembly, options);
Console.WriteLine();
Console.WriteLine(result.SummaryLine(options.Label));
return result.Succeeded ? 0 : 1;
