using System.Diagnostics;
using Azure.Identity;
using Azure.Storage.Queues;
using Interflow.Core.Bulk;
using Interflow.Core.Messages;
using Interflow.Core.Telemetry;
using Interflow.Core.Webhooks;

namespace Interflow.Infrastructure.Queues;

/// <summary>
/// Azure Storage queues (Azurite locally). Messages are small JSON documents of ids, sent as plain text; the
/// Functions host reads them with <c>messageEncoding: none</c> (host.json).
/// </summary>
public sealed class StorageQueues : IOutboundQueue, IProviderStatusQueue, IWebhookQueue, IBulkQueue
{
    // A queue message holds 64 KiB; batches are split to stay well under it.
    private const int MaxMessageBytes = 48 * 1024;

    private readonly QueueServiceClient service;
    private readonly string prefix;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> sent = new();

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

    /// <summary>Messages this instance has sent to a queue, or to every queue: what tests and benchmarks divide by the work done.</summary>
    public long MessagesSent(string? queue = null) => queue is null ? sent.Values.Sum() : sent.GetValueOrDefault(queue);

    /// <summary>Creates the queues when absent: local runs; in Azure they come from Bicep.</summary>
    /// <exception cref="StorageUnreachableException">Nothing answered (Azurite not running), or the storage refused.</exception>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var name in QueueNames.All)
            {
                await Queue(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }
        }
        catch (Exception exception) when (IsStorageFailure(exception))
        {
            throw new StorageUnreachableException(service.Uri, exception);
        }
    }

    public Task EnqueueAsync(OutboundWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.Outbound, work, delay, cancellationToken);

    public Task EnqueueAsync(ProviderStatusBatch batch, TimeSpan delay, CancellationToken cancellationToken) =>
        SendSplitAsync(QueueNames.ProviderStatuses, batch.Reports, reports => batch with { Reports = reports }, delay, cancellationToken);

    public Task EnqueueAsync(WebhookFanoutWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendSplitAsync(QueueNames.WebhookEvents, work.EventIds, ids => work with { EventIds = ids }, delay, cancellationToken);

    public Task EnqueueAsync(WebhookAttemptWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.WebhookDeliveries, work, delay, cancellationToken);

    public Task EnqueueAsync(WebhookProbeWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.WebhookProbes, work, delay, cancellationToken);

    public Task EnqueueAsync(BulkChunkWork work, TimeSpan delay, CancellationToken cancellationToken) =>
        SendAsync(QueueNames.BulkChunks, work, delay, cancellationToken);

    /// <summary>A batch in as few messages as fit: halved until each half does.</summary>
    private async Task SendSplitAsync<TItem, TMessage>(
        string queue, IReadOnlyList<TItem> items, Func<IReadOnlyList<TItem>, TMessage> message, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }
        var text = StoredJson.Serialize(message(items));
        if (items.Count == 1 || System.Text.Encoding.UTF8.GetByteCount(text) <= MaxMessageBytes)
        {
            await SendTextAsync(queue, text, delay, cancellationToken);
            return;
        }
        var half = items.Count / 2;
        await SendSplitAsync(queue, [.. items.Take(half)], message, delay, cancellationToken);
        await SendSplitAsync(queue, [.. items.Skip(half)], message, delay, cancellationToken);
    }

    private Task SendAsync<T>(string queue, T message, TimeSpan delay, CancellationToken cancellationToken) =>
        SendTextAsync(queue, StoredJson.Serialize(message), delay, cancellationToken);

    /// <summary>A message as text (a poisoned one's later pass). An unreachable or throttling queue is the caller's "try again" (503), like an unavailable store.</summary>
    public async Task SendTextAsync(string queue, string text, TimeSpan delay, CancellationToken cancellationToken)
    {
        using var activity = InterflowTelemetry.Source.StartActivity($"{queue} send", ActivityKind.Producer);
        activity?.SetTag(InterflowTelemetry.Tags.Queue, queue).SetTag(InterflowTelemetry.Tags.MessagingSystem, MessagingSystem)
            .SetTag(InterflowTelemetry.Tags.MessagingOperation, "send");
        if (QueueMessageTelemetry.Listening)
        {
            text = QueueMessageTelemetry.Stamp(text, DateTimeOffset.UtcNow + delay);
        }
        try
        {
            // Storage queues cap visibility delays at 7 days; every delay here is far below.
            await Queue(queue).SendMessageAsync(text, delay > TimeSpan.Zero ? delay : null, TimeSpan.FromDays(7), cancellationToken);
            sent.AddOrUpdate(queue, 1, (_, count) => count + 1);
        }
        catch (Exception exception) when (IsStorageFailure(exception))
        {
            activity?.SetStatus(ActivityStatusCode.Error).SetTag(InterflowTelemetry.Tags.ErrorType, exception.GetType().FullName);
            throw new Core.StoreUnavailableException(exception);
        }
    }

    /// <summary>The <c>messaging.system</c> of these queues' spans.</summary>
    public const string MessagingSystem = "azure.storage.queues";

    /// <summary>The storage did not answer or refused: the client's retries gave up (an aggregate of their failures).</summary>
    private static bool IsStorageFailure(Exception exception) =>
        exception is Azure.RequestFailedException or HttpRequestException
        || (exception is AggregateException aggregate && aggregate.InnerExceptions.All(e => e is Azure.RequestFailedException or HttpRequestException));
}
