using Interflow.Core.Bulk;

namespace Interflow.Infrastructure.Queues;

/// <summary>
/// Starts a job's durable orchestration through the <c>bulk-jobs</c> queue: the Functions trigger on it holds the
/// Durable client (a binding, not a service) and schedules the orchestration with the job id as instance id, so a
/// repeated start is a no-op and a start is never lost between the request and the orchestrator.
/// </summary>
public sealed class QueuedBulkStart(StorageQueues queues) : IBulkOrchestrator
{
    public Task StartAsync(BulkJobRef job, CancellationToken cancellationToken) =>
        queues.SendTextAsync(QueueNames.BulkJobs, StoredJson.Serialize(job), TimeSpan.Zero, cancellationToken);
}
