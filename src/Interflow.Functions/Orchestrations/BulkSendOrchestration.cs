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
/// continues as new to keep its history short. Written function-based: the Worker Sdk's metadata generator does
/// not see class-based durable task types, so the host would never index them. Change the orchestrator's shape
/// only under a new name (replay determinism).
/// </summary>
public sealed class BulkSendOrchestration(BulkSends bulk)
{
    private const int RefreshesPerGeneration = 100;
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    [Function(nameof(BulkSendOrchestrator))]
    public static async Task<string> BulkSendOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var job = context.GetInput<BulkJobRef>() ?? throw new InvalidOperationException("a bulk orchestration needs its job");
        await context.CallActivityAsync(nameof(EnqueueBulkChunks), job);
        for (var i = 0; i < RefreshesPerGeneration; i++)
        {
            if (await context.CallActivityAsync<bool>(nameof(RefreshBulkProgress), job))
            {
                return "settled";
            }
            await context.CreateTimer(context.CurrentUtcDateTime.Add(RefreshEvery), CancellationToken.None);
        }
        context.ContinueAsNew(job);
        return "continued";
    }

    [Function(nameof(EnqueueBulkChunks))]
    public Task EnqueueBulkChunks([ActivityTrigger] BulkJobRef job, CancellationToken cancellationToken) =>
        bulk.EnqueueChunksAsync(job, cancellationToken);

    [Function(nameof(RefreshBulkProgress))]
    public Task<bool> RefreshBulkProgress([ActivityTrigger] BulkJobRef job, CancellationToken cancellationToken) =>
        bulk.RefreshAsync(job, cancellationToken);

    /// <summary>Starts the orchestration for a job from the <c>bulk-jobs</c> queue; the job id is the instance id, so a repeated start is a no-op.</summary>
    [Function(nameof(BulkJobStarter))]
    public static async Task BulkJobStarter(
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
