using Azure.Storage.Queues.Models;
using Interflow.Core.Events;
using Interflow.Infrastructure.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Interflow.TestServer;

/// <summary>
/// Runs the queue consumers in-process, as the Functions queue triggers do in Azure: a message is handled, deleted
/// on success, made visible again on failure, and moved to the "-poison" queue after <see cref="MaxDequeueCount"/>
/// failed tries (host.json's <c>maxDequeueCount</c>). Also runs the event relay's sweep, the timer trigger's job.
/// </summary>
public sealed class QueuePump(StorageQueues queues, QueueConsumers consumers, EventRelay relay, ILogger<QueuePump> logger) : BackgroundService
{
    public const int MaxDequeueCount = 5;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryVisibility = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. consumers.Handlers.Select(h => PumpAsync(h.Key, h.Value, stoppingToken)), SweepAsync(stoppingToken)]);

    private async Task PumpAsync(string name, Func<string, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        var queue = queues.Queue(name);
        var poison = queues.Queue(name + "-poison");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] batch = await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), stoppingToken);
                if (batch.Length == 0)
                {
                    await Task.Delay(Idle, stoppingToken);
                    continue;
                }
                await Task.WhenAll(batch.Select(async message =>
                {
                    try
                    {
                        await handle(message.MessageText, stoppingToken);
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogWarning(exception, "Queue {Queue} message {MessageId} failed (try {Count})", name, message.MessageId, message.DequeueCount);
                        if (message.DequeueCount >= MaxDequeueCount)
                        {
                            await poison.SendMessageAsync(message.MessageText, CancellationToken.None);
                            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                        }
                        else
                        {
                            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: RetryVisibility, cancellationToken: CancellationToken.None);
                        }
                    }
                }));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Queue {Queue} pump error", name);
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SweepEvery, stoppingToken);
                await relay.SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Event relay sweep failed");
            }
        }
    }
}
