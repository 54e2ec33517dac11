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
    // Polling backs off while a queue stays empty, up to this (the Functions host's maxPollingInterval is 2 s):
    // idle servers must not keep the storage emulator busy.
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryVisibility = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    // As the Functions host's batchSize: how many messages of one queue run at once.
    private const int BatchSize = 16;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. consumers.Handlers.Select(h => PumpAsync(h.Key, h.Value, stoppingToken)), SweepAsync(stoppingToken)]);

    private async Task PumpAsync(string name, Func<string, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        var queue = queues.Queue(name);
        var poison = queues.Queue(name + "-poison");
        var idle = TimeSpan.FromMilliseconds(25);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                QueueMessage[] batch = await queue.ReceiveMessagesAsync(BatchSize, Visibility, stoppingToken);
                if (batch.Length == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                    idle = idle * 2 > MaxIdle ? MaxIdle : idle * 2;
                    continue;
                }
                idle = TimeSpan.FromMilliseconds(25);
                await Task.WhenAll(batch.Select(async message =>
                {
                    // Like the Functions host, keep a message invisible while its handler still runs, so that a long
                    // one (a bulk chunk) is not handed to a second consumer meanwhile.
                    var receipt = message.PopReceipt;
                    using var done = new CancellationTokenSource();
                    var renewal = Task.Run(async () =>
                    {
                        while (true)
                        {
                            await Task.Delay(Visibility / 3, done.Token);
                            receipt = (await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: Visibility, cancellationToken: done.Token)).Value.PopReceipt;
                        }
                    });
                    async Task SettleAsync()
                    {
                        await done.CancelAsync();
                        await renewal.ContinueWith(_ => { }, TaskScheduler.Default);
                    }
                    try
                    {
                        await handle(message.MessageText, stoppingToken);
                        await SettleAsync();
                        await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
                    }
                    catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        await SettleAsync();
                        logger.LogWarning(exception, "Queue {Queue} message {MessageId} failed (try {Count})", name, message.MessageId, message.DequeueCount);
                        if (message.DequeueCount >= MaxDequeueCount)
                        {
                            await poison.SendMessageAsync(message.MessageText, CancellationToken.None);
                            await queue.DeleteMessageAsync(message.MessageId, receipt, CancellationToken.None);
                        }
                        else
                        {
                            await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: RetryVisibility, cancellationToken: CancellationToken.None);
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
