using System.Globalization;
using Interflow.HostileRequests;

// The longer run of the hostile-request properties (the test command runs a fixed seed):
//   dotnet run -c Release --project tests/Interflow.HostileRequests -- [--cases 20000] [--seed 12345]
// Needs Azurite (as the test server does): INTERFLOW_TEST_STORAGE, else Azurite on its default ports.
var cases = 20_000;
var seed = Environment.TickCount;
for (var i = 0; i < args.Length - 1; i++)
{
    switch (args[i])
    {
        case "--cases": cases = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
    }
}
await using var run = await HostileRequestRun.StartAsync();
Console.WriteLine($"hostile requests from the route table: {cases} cases, seed {seed}");
var report = await run.RunAsync(cases, seed, progress => Console.WriteLine("  " + progress));
foreach (var violation in report.Violations)
{
    Console.WriteLine("VIOLATION " + violation);
}
Console.WriteLine($"tried {report}");
return report.Violations.Count == 0 ? 0 : 1;
