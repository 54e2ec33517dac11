using Interflow.Infrastructure.Queues;
using Microsoft.Azure.Functions.Worker;

namespace Interflow.Functions.Queues;

/// <summary>
/// The queue triggers: each hands the message text to its host-agnostic consumer. After host.json's
/// <c>maxDequeueCount</c> failed tries the host moves a message to "-poison", whose consumer records the outcome.
/// </summary>
public sealed class QueueFunctions(QueueConsumers consumers)
{
    [Function("OutboundDelivery")]
    public Task Outbound([QueueTrigger(QueueNames.Outbound, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.OutboundAsync(message, cancellationToken);

    [Function("OutboundPoison")]
    public Task OutboundPoison([QueueTrigger(QueueNames.OutboundPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.OutboundPoisonAsync(message, cancellationToken);

    [Function("ProviderStatuses")]
    public Task ProviderStatuses([QueueTrigger(QueueNames.ProviderStatuses, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.ProviderStatusAsync(message, cancellationToken);

    [Function("WebhookEvents")]
    public Task WebhookEvents([QueueTrigger(QueueNames.WebhookEvents, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.WebhookEventsAsync(message, cancellationToken);

    [Function("WebhookDeliveries")]
    public Task WebhookDeliveries([QueueTrigger(QueueNames.WebhookDeliveries, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.WebhookDeliveriesAsync(message, cancellationToken);

    [Function("WebhookDeliveriesPoison")]
    public Task WebhookDeliveriesPoison([QueueTrigger(QueueNames.WebhookDeliveriesPoison, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.WebhookDeliveriesPoisonAsync(message, cancellationToken);

    [Function("BulkChunks")]
    public Task BulkChunks([QueueTrigger(QueueNames.BulkChunks, Connection = "AzureWebJobsStorage")] string message, CancellationToken cancellationToken) =>
        consumers.BulkChunksAsync(message, cancellationToken);
}
