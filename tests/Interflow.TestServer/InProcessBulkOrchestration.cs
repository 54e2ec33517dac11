using Interflow.Core.Bulk;
using Interflow.Infrastructure;

namespace Interflow.TestServer;

/// <summary>
/// The test server's stand-in for the durable orchestration, run as the handler of the <c>bulk-jobs</c> queue (where
/// the Functions app's starter schedules the orchestration): the same steps (<see cref="BulkSends"/>), with the queue
/// for durability. The job's message stays invisible while its coordination runs; a server that stops leaves it to
/// reappear, and the next server resumes the job.
/// </summary>
public sealed class InProcessBulkOrchestration(BulkSends bulk)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(string message, CancellationToken cancellationToken)
    {
        var job = StoredJson.Deserialize<BulkJobRef>(message);
        await bulk.EnqueueChunksAsync(job, cancellationToken);
        while (!await bulk.RefreshAsync(job, cancellationToken))
        {
            await Task.Delay(RefreshEvery, cancellationToken);
        }
    }
}
