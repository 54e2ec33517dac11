namespace Interflow.Core.Messages;

/// <summary>
/// Enqueues the status reports a simulated provider makes (the sandbox's delivered and read), in as few queue
/// messages as their times allow: reports due within a second of each other travel together, visible once the
/// last of them is due. A chunk of a bulk send thus leaves two queue messages, not two per recipient.
/// </summary>
public sealed class ProviderReports(IProviderStatusQueue queue, TimeProvider clock)
{
    private static readonly TimeSpan Together = TimeSpan.FromSeconds(1);

    public async Task ScheduleAsync(IEnumerable<ProviderResult> results, CancellationToken cancellationToken)
    {
        var reports = results.OfType<ProviderResult.Accepted>().SelectMany(a => a.Reports ?? []).OrderBy(r => r.At).ToArray();
        var now = clock.GetUtcNow();
        var batches = new List<(ProviderStatus[] Reports, TimeSpan Due)>();
        for (var start = 0; start < reports.Length;)
        {
            var end = start;
            while (end < reports.Length && reports[end].At - reports[start].At <= Together)
            {
                end++;
            }
            var due = reports[end - 1].At - now;
            batches.Add((reports[start..end], due > TimeSpan.Zero ? due : TimeSpan.Zero));
            start = end;
        }
        // Side by side: each is a round trip to the queue service, and the attempt that made them waits for all.
        await Task.WhenAll(batches.Select(b => queue.EnqueueAsync(new ProviderStatusBatch(b.Reports), b.Due, cancellationToken)));
    }
}
