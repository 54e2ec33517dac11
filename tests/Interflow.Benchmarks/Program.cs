using System.Globalization;
using Interflow.Benchmarks;

// Usage:
//   dotnet run -c Release --project tests/Interflow.Benchmarks -- [seconds per scenario, default 5] [concurrency, default 16]
//   dotnet run -c Release --project tests/Interflow.Benchmarks -- bulk [recipients, default 10000] [jobs, default 3] [channel messages/s, default 1000; 0: unpaced] [dead receivers, default 2] [both|server|host, default both] [telemetry: on|off, default on: the server's jobs again with telemetry exported]
// The request-cost benchmark needs Azurite: INTERFLOW_TEST_STORAGE as set by scripts/test.sh, or Azurite on its
// default ports; the bulk benchmark starts an Azurite of its own (npm) for each host. Both run the Functions app in
// the Functions host too when INTERFLOW_FUNCTIONS_HOST names one (scripts/bulk-benchmark.sh and
// scripts/request-benchmark.sh set it up).
if (args.Length > 0 && args[0] == "bulk")
{
    await BulkBenchmark.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3,
        args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000,
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 2,
        args.Length > 5 ? args[5] : "both",
        args.Length <= 6 || args[6] != "off");
    return;
}

await RequestCostBenchmark.RunAsync(
    args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5,
    args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16);
