using System.Diagnostics;

namespace Interflow.Benchmarks;

/// <summary>
/// CPU time of the processes a run involves, by role (the Functions host, its worker, Azurite, this process), told apart
/// by their command lines (Linux: /proc): divided by a scenario's requests, where each request's time goes.
/// </summary>
public sealed class ProcessCpu
{
    private static readonly (string Role, Func<int, string, bool> Is)[] Roles =
    [
        ("Functions host", (_, command) => command.Contains("Microsoft.Azure.WebJobs.Script.WebHost", StringComparison.Ordinal)),
        ("worker", (_, command) => command.Contains("Interflow.Functions.dll", StringComparison.Ordinal)),
        ("Azurite", (_, command) => command.Contains("azurite", StringComparison.Ordinal)),
        ("load generator (+ test server)", (pid, _) => pid == Environment.ProcessId),
    ];

    /// <summary>Seconds of CPU each role has used so far.</summary>
    public static Dictionary<string, double> Now()
    {
        var used = Roles.ToDictionary(r => r.Role, _ => 0.0);
        foreach (var process in Process.GetProcesses())
        {
            using (process)
            {
                try
                {
                    var command = File.ReadAllText($"/proc/{process.Id}/cmdline").Replace('\0', ' ');
                    foreach (var (role, isRole) in Roles)
                    {
                        if (isRole(process.Id, command))
                        {
                            used[role] += process.TotalProcessorTime.TotalSeconds;
                            break;
                        }
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    // Gone meanwhile, or not ours to read.
                }
            }
        }
        return used;
    }

    /// <summary>Milliseconds of CPU per request by role between two readings, the roles that used any.</summary>
    public static string PerRequest(Dictionary<string, double> before, Dictionary<string, double> after, int requests) =>
        string.Join(", ", after.Where(a => a.Value - before[a.Key] > 0.001)
            .Select(a => $"{a.Key} {(a.Value - before[a.Key]) * 1000 / Math.Max(1, requests):0.00} ms"));
}
