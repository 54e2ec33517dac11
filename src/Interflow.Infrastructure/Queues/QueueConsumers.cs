using Interflow.Core.Bulk;
using Interflow.Core.Messages;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Queues;

/// <summary>
/// What each queue's messages do, host-agnostic: the Functions queue triggers and the test server's pump both call
/// these. Every handler is idempotent (a message may come twice) and bounded in time.
/// </summary>
public sealed class QueueConsumers(
    OutboundDelivery delivery, ProviderStatusUpdates statuses, IProviderStatusQueue statusQueue, WebhookDispatcher webhooks, BulkSends bulk)
{
    private const int MaxStatusLookups = 10;
    private static readonly TimeSpan StatusRetryDelay = TimeSpan.FromSeconds(2);

    public Task OutboundAsync(string body, CancellationToken cancellationToken) =>
        delivery.HandleAsync(StoredJson.Deserialize<OutboundWork>(body), cancellationToken);

    public Task OutboundPoisonAsync(string body, CancellationToken cancellationToken) =>
        delivery.HandlePoisonAsync(StoredJson.Deserialize<OutboundWork>(body), cancellationToken);

    /// <summary>Reports for messages not stored yet (a report beat the send's own write) are looked at again shortly, together.</summary>
    public async Task ProviderStatusAsync(string body, CancellationToken cancellationToken)
    {
        var batch = StoredJson.Deserialize<ProviderStatusBatch>(body);
        var unknown = await statuses.ApplyAsync(batch.Reports, cancellationToken);
        if (unknown.Count > 0 && batch.Attempt < MaxStatusLookups)
        {
            await statusQueue.EnqueueAsync(new ProviderStatusBatch(unknown, batch.Attempt + 1), StatusRetryDelay, cancellationToken);
        }
    }

    public Task WebhookEventsAsync(string body, CancellationToken cancellationToken) =>
        webhooks.FanOutAsync(StoredJson.Deserialize<WebhookFanoutWork>(body), cancellationToken);

    public Task WebhookDeliveriesAsync(string body, CancellationToken cancellationToken) =>
        webhooks.AttemptAsync(StoredJson.Deserialize<WebhookAttemptWork>(body), cancellationToken);

    public Task WebhookDeliveriesPoisonAsync(string body, CancellationToken cancellationToken) =>
        webhooks.AbandonAsync(StoredJson.Deserialize<WebhookAttemptWork>(body), cancellationToken);

    public Task BulkChunksAsync(string body, CancellationToken cancellationToken) =>
        bulk.ProcessChunkAsync(StoredJson.Deserialize<BulkChunkWork>(body), cancellationToken);

    /// <summary>The handler of each consumed queue, for hosts that dispatch by name. Status reports the host gave up on change nothing and stay in their poison queue for inspection.</summary>
    public IReadOnlyDictionary<string, Func<string, CancellationToken, Task>> Handlers => new Dictionary<string, Func<string, CancellationToken, Task>>
    {
        [QueueNames.Outbound] = OutboundAsync,
        [QueueNames.OutboundPoison] = OutboundPoisonAsync,
        [QueueNames.ProviderStatuses] = ProviderStatusAsync,
        [QueueNames.WebhookEvents] = WebhookEventsAsync,
        [QueueNames.WebhookDeliveries] = WebhookDeliveriesAsync,
        [QueueNames.WebhookDeliveriesPoison] = WebhookDeliveriesPoisonAsync,
        [QueueNames.BulkChunks] = BulkChunksAsync,
    };
}
