namespace Interflow.Infrastructure.Queues;

/// <summary>Every queue the app uses; infra/main.bicep declares the same names (a test keeps them in step).</summary>
public static class QueueNames
{
    /// <summary>Outbound delivery attempts (<see cref="Core.Messages.OutboundWork"/>).</summary>
    public const string Outbound = "outbound";

    /// <summary>Where the Functions host moves outbound messages it gave up on (its "-poison" convention).</summary>
    public const string OutboundPoison = "outbound-poison";

    /// <summary>Provider status reports to apply (<see cref="Core.Messages.ProviderStatus"/>).</summary>
    public const string ProviderStatuses = "provider-statuses";

    public const string ProviderStatusesPoison = "provider-statuses-poison";

    /// <summary>Events to fan out to webhook endpoints (<see cref="Core.Webhooks.WebhookFanoutWork"/>).</summary>
    public const string WebhookEvents = "webhook-events";

    public const string WebhookEventsPoison = "webhook-events-poison";

    /// <summary>Webhook delivery attempts, retries enqueued with their backoff as visibility delay (<see cref="Core.Webhooks.WebhookAttemptWork"/>).</summary>
    public const string WebhookDeliveries = "webhook-deliveries";

    public const string WebhookDeliveriesPoison = "webhook-deliveries-poison";

    /// <summary>Probes of endpoints that are down, and the drain of what waited for them (<see cref="Core.Webhooks.WebhookProbeWork"/>).</summary>
    public const string WebhookProbes = "webhook-probes";

    public const string WebhookProbesPoison = "webhook-probes-poison";

    /// <summary>Bulk send chunks (<see cref="Core.Bulk.BulkChunkWork"/>): many recipients per queue message.</summary>
    public const string BulkChunks = "bulk-chunks";

    public const string BulkChunksPoison = "bulk-chunks-poison";

    /// <summary>Bulk jobs whose durable orchestration is to be started (<see cref="Core.Bulk.BulkJobRef"/>); Functions app only.</summary>
    public const string BulkJobs = "bulk-jobs";

    public const string BulkJobsPoison = "bulk-jobs-poison";

    public static IReadOnlyList<string> All { get; } =
    [
        BulkJobs, BulkJobsPoison, BulkChunks, BulkChunksPoison,
        Outbound, OutboundPoison, ProviderStatuses, ProviderStatusesPoison, WebhookEvents, WebhookEventsPoison,
        WebhookDeliveries, WebhookDeliveriesPoison, WebhookProbes, WebhookProbesPoison,
    ];
}
