using System.Diagnostics;

namespace Interflow.Benchmarks;

/// <summary>What one scenario achieved: throughput, latency percentiles, non-2xx answers, the store work counted and the CPU used (<see cref="ProcessCpu"/>) while it ran.</summary>
public sealed record LoadResult(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, int Errors, int Requests, WorkCounts? Work = null, string Cpu = "")
{
    public string PerRequest(Func<WorkCounts, long> what) => Work is { } work && Requests > 0 ? $"{(double)what(work) / Requests:0.00}" : "-";
}

/// <summary>Runs one request shape with a fixed number of concurrent workers for a fixed time, bounded in count too.</summary>
public static class LoadRun
{
    /// <param name="work">When given, what the store and queues did from the end of the warm-up to the end of the run,
    /// or, with <paramref name="settle"/>, until the background work the run left is done too.</param>
    /// <param name="settle">Awaited after the run: returns once the background work the scenario caused is done.</param>
    public static async Task<LoadResult> RunAsync(
        string name, int concurrency, TimeSpan duration, Func<int, Task<bool>> request, StoreWork? work = null, Func<Task>? settle = null)
    {
        // Warm-up: JIT, connection pools and caches, not measured.
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => request(i)));
        var before = work?.Now;
        var cpuBefore = ProcessCpu.Now();
        var latencies = new List<double>[concurrency];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var own = latencies[worker] = [];
            for (var i = 0; clock.Elapsed < duration && i < 200_000; i++)
            {
                var started = Stopwatch.GetTimestamp();
                if (!await request(worker * 1_000_000 + i))
                {
                    Interlocked.Increment(ref errors);
                }
                own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpuAfter = ProcessCpu.Now();
        if (settle is not null)
        {
            await settle();
        }
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors, all.Length, work is null ? null : work.Now - before!,
            ProcessCpu.PerRequest(cpuBefore, cpuAfter, all.Length));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, p * sorted.Length)];
}
