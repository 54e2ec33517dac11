using Azure.Identity;
using Azure.Storage.Queues;
using Interflow.Core.Bulk;
using Interflow.Core.Messages;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Queues;

/// <summary>
/// Azure Storage queues (Azurite locally). Messages are small JSON documents of ids, sent as plain text; the
/// Functions host reads them with <c>messageEncoding: none</c> (host.json).
/// </summary>
public sealed class StorageQueues : IOutboundQueue, IProviderStatusQueue, IWebhookQueue, IBulkQueue
{
    private readonly QueueServiceClient service;
    private readonly string prefix;

    /// <param name="connectionString">A connection string (local), or null to use <paramref name="accountName"/> with the app's identity (Azure).</param>
    /// <param name="prefix">Prepended to every queue name: lets test servers share one emulator without sharing queues.</param>
    public StorageQueues(string? connectionString, string? accountName, string prefix = "")
    {
        this.prefix = prefix;
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        // Enqueues sit on request paths: fail within seconds and let the caller retry, rather than hold the request.
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        service = !string.IsNullOrEmpty(connectionString)
            ? new QueueServiceClient(connectionString, options)
            : new QueueServiceClient(new Uri($"https://{accountName}.queue.core.windows.net"), new DefaultAzureCredential(), options);
    }

    public QueueClient Queue(string name) => service.GetQueueClient(prefix + name);

    /// <summary>Creates the queues when absent: local runs; in Azure they come from Bicep.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        foreach (var name in QueueNames.All)
        {
            await Queue(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
    }

    public Task EnqueueAsync(OutboundWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.Outbound, work, delay, cancellationToken);

    public Task EnqueueAsync(ProviderStatus status, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.ProviderStatuses, status, delay, cancellationToken);

    public Task EnqueueAsync(WebhookFanoutWork work, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.WebhookEvents, work, TimeSpan.Zero, cancellationToken);

    public Task EnqueueAsync(WebhookAttemptWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.WebhookDeliveries, work, delay, cancellationToken);

    public Task EnqueueAsync(BulkChunkWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.BulkChunks, work, delay, cancellationToken);

    /// <summary>An unreachable or throttling queue is the caller's "try again" (503), like an unavailable store.</summary>
    private async Task SendAsync<T>(string queue, T message, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            // Storage queues cap visibility delays at 7 days; every delay here is far below.
            await Queue(queue).SendMessageAsync(StoredJson.Serialize(message), delay > TimeSpan.Zero ? delay : null, TimeSpan.FromDays(7), cancellationToken);
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or HttpRequestException
                                              || (exception is AggregateException aggregate
                                                  && aggregate.InnerExceptions.All(e => e is Azure.RequestFailedException or HttpRequestException)))
        {
            throw new Core.StoreUnavailableException(exception);
        }
    }
}
