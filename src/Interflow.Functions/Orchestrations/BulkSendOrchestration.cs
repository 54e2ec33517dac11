using Interflow.Core.Bulk;
using Interflow.Infrastructure;
using Interflow.Infrastructure.Queues;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Interflow.Functions.Orchestrations;

/// <summary>
/// A bulk job's coordination: enqueue its chunks (the sends go through the bulk and outbound queues, not through
/// activities: Durable on Azure Storage runs ~100 activities/s), then refresh progress until it is settled. Every
/// step is an idempotent activity over <see cref="BulkSends"/>; the orchestrator holds no logic of its own and
/// continues as new to keep its history short. Change its shape only under a new name (replay determinism).
/// </summary>
[DurableTask(nameof(BulkSendOrchestrator))]
public sealed class BulkSendOrchestrator : TaskOrchestrator<BulkJobRef, string>
{
    private const int RefreshesPerGeneration = 100;

    public override async Task<string> RunAsync(TaskOrchestrationContext context, BulkJobRef job)
    {
        await context.CallActivityAsync(nameof(EnqueueBulkChunks), job);
        for (var i = 0; i < RefreshesPerGeneration; i++)
        {
            if (await context.CallActivityAsync<bool>(nameof(RefreshBulkProgress), job))
            {
                return "settled";
            }
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(5), CancellationToken.None);
        }
        context.ContinueAsNew(job);
        return "continued";
    }
}

[DurableTask(nameof(EnqueueBulkChunks))]
public sealed class EnqueueBulkChunks(BulkSends bulk) : TaskActivity<BulkJobRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, BulkJobRef job)
    {
        await bulk.EnqueueChunksAsync(job, CancellationToken.None);
        return true;
    }
}

[DurableTask(nameof(RefreshBulkProgress))]
public sealed class RefreshBulkProgress(BulkSends bulk) : TaskActivity<BulkJobRef, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, BulkJobRef job) => bulk.RefreshAsync(job, CancellationToken.None);
}

/// <summary>Starts the orchestration for a job from the <c>bulk-jobs</c> queue; the job id is the instance id.</summary>
public sealed class BulkJobStarter
{
    [Function("BulkJobStarter")]
    public async Task Run(
        [QueueTrigger(QueueNames.BulkJobs, Connection = "AzureWebJobsStorage")] string message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var job = StoredJson.Deserialize<BulkJobRef>(message);
        if (await client.GetInstanceAsync(job.JobId, cancellationToken) is null)
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(BulkSendOrchestrator), job, new StartOrchestrationOptions(job.JobId), cancellationToken);
        }
    }
}
