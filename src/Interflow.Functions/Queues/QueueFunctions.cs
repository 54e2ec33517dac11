using Interflow.Infrastructure.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Queues;

/// <summary>
/// The queue triggers: each hands the message text to its host-agnostic consumer. After host.json's
/// <c>maxDequeueCount</c> failed tries the host moves a message to "-poison", whose consumer gives it later passes and
/// then settles what it was for (see <see cref="QueueConsumers"/>).
/// </summary>
public sealed class QueueFunctions(QueueConsumers consumers)
{
    [Function("OutboundDelivery")]
    public Task Outbound([QueueTrigger(QueueNames.Outbound, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.Outbound, message, cancellationToken);

    [Function("OutboundPoison")]
    public Task OutboundPoison([QueueTrigger(QueueNames.OutboundPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.OutboundPoison, message, cancellationToken);

    [Function("ProviderStatuses")]
    public Task ProviderStatuses([QueueTrigger(QueueNames.ProviderStatuses, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.ProviderStatuses, message, cancellationToken);

    [Function("ProviderStatusesPoison")]
    public Task ProviderStatusesPoison([QueueTrigger(QueueNames.ProviderStatusesPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.ProviderStatusesPoison, message, cancellationToken);

    [Function("WebhookEvents")]
    public Task WebhookEvents([QueueTrigger(QueueNames.WebhookEvents, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.WebhookEvents, message, cancellationToken);

    [Function("WebhookEventsPoison")]
    public Task WebhookEventsPoison([QueueTrigger(QueueNames.WebhookEventsPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.WebhookEventsPoison, message, cancellationToken);

    [Function("WebhookDeliveries")]
    public Task WebhookDeliveries([QueueTrigger(QueueNames.WebhookDeliveries, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.WebhookDeliveries, message, cancellationToken);

    [Function("WebhookDeliveriesPoison")]
    public Task WebhookDeliveriesPoison([QueueTrigger(QueueNames.WebhookDeliveriesPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.WebhookDeliveriesPoison, message, cancellationToken);

    [Function("WebhookProbes")]
    public Task WebhookProbes([QueueTrigger(QueueNames.WebhookProbes, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.WebhookProbes, message, cancellationToken);

    [Function("WebhookProbesPoison")]
    public Task WebhookProbesPoison([QueueTrigger(QueueNames.WebhookProbesPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.WebhookProbesPoison, message, cancellationToken);

    [Function("BulkChunks")]
    public Task BulkChunks([QueueTrigger(QueueNames.BulkChunks, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.BulkChunks, message, cancellationToken);

    [Function("BulkChunksPoison")]
    public Task BulkChunksPoison([QueueTrigger(QueueNames.BulkChunksPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.BulkChunksPoison, message, cancellationToken);

    [Function("BulkJobsPoison")]
    public Task BulkJobsPoison([QueueTrigger(QueueNames.BulkJobsPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.HandleAsync(QueueNames.BulkJobsPoison, message, cancellationToken);
}
