using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Interflow.Core.Events;
using Interflow.Infrastructure.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Interflow.TestServer;

/// <summary>A queue's handler: the message text, and a token cancelled when the host stops.</summary>
public delegate Task QueueHandler(string message, CancellationToken cancellationToken);

/// <summary>
/// Runs queue handlers in-process, as the Functions queue triggers do in Azure: up to <see cref="Concurrency"/>
/// messages of a queue at once, each kept invisible while its handler runs, deleted on success, made visible again
/// on failure, and moved to the "-poison" queue after <see cref="MaxDequeueCount"/> failed tries (host.json's
/// <c>maxDequeueCount</c>). Also runs the event relay's sweep, the timer trigger's job.
/// <para>Stopping takes no new message; handlers in flight get the drain time (<see cref="DefaultDrainTimeout"/>) to
/// finish, then are cancelled, and their messages are made visible again at once, neither deleted nor poisoned: every handler is
/// idempotent, so the redelivery completes what the stop cut short.</para>
/// </summary>
public sealed class QueuePump(
    StorageQueues queues, IReadOnlyDictionary<string, QueueHandler> handlers, EventRelay relay, ILogger<QueuePump> logger, TimeSpan? drainTimeout = null)
    : BackgroundService
{
    public const int MaxDequeueCount = 5;

    // As the Functions host's batchSize: how many messages of one queue run at once.
    public const int Concurrency = 16;

    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(5);

    // Polling backs off while a queue stays empty, up to this (the Functions host's maxPollingInterval is 2 s):
    // idle servers must not keep the storage emulator busy.
    private static readonly TimeSpan MinIdle = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryVisibility = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);

    // Deleting or releasing a message must not hold a stop: an unreachable queue just lets the visibility lapse.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var handlerStop = new CancellationTokenSource();
        using var drain = stoppingToken.Register(() => handlerStop.CancelAfter(drainTimeout ?? DefaultDrainTimeout));
        await Task.WhenAll([.. handlers.Select(h => PumpAsync(h.Key, h.Value, stoppingToken, handlerStop.Token)), SweepAsync(stoppingToken)]);
    }

    private async Task PumpAsync(string name, QueueHandler handle, CancellationToken stoppingToken, CancellationToken handlerToken)
    {
        var queue = queues.Queue(name);
        var poison = queues.Queue(name + "-poison");
        using var slots = new SemaphoreSlim(Concurrency);
        var running = new List<Task>();
        var idle = MinIdle;
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                // As the Functions host's newBatchThreshold: fetch again once half the slots are free, so that a
                // busy queue is read in batches, not one message per round trip to the storage service.
                for (; taken < Concurrency / 2; taken++)
                {
                    await slots.WaitAsync(stoppingToken);
                }
                while (taken < Concurrency && slots.Wait(0))
                {
                    taken++;
                }
                QueueMessage[] batch = await queue.ReceiveMessagesAsync(taken, Visibility, stoppingToken);
                taken -= batch.Length;
                if (taken > 0)
                {
                    slots.Release(taken);
                    taken = 0;
                }
                running.RemoveAll(task => task.IsCompleted);
                foreach (var message in batch)
                {
                    running.Add(RunAsync(queue, poison, name, message, handle, slots, handlerToken));
                }
                idle = batch.Length > 0 ? MinIdle : Min(idle * 2, MaxIdle);
                if (batch.Length == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Queue {Queue} pump error", name);
                await Task.Delay(MaxIdle, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            finally
            {
                if (taken > 0)
                {
                    slots.Release(taken);
                }
            }
        }
        await Task.WhenAll(running);
    }

    /// <summary>Handles one message and settles it; never throws.</summary>
    private async Task RunAsync(
        QueueClient queue, QueueClient poison, string name, QueueMessage message, QueueHandler handle, SemaphoreSlim slots, CancellationToken handlerToken)
    {
        try
        {
            await Task.Yield();
            // Like the Functions host, keep the message invisible while its handler runs, so that a long one (a bulk
            // chunk, a job's coordination) is not handed to a second consumer meanwhile.
            var receipt = message.PopReceipt;
            Exception? failure = null;
            using (var done = new CancellationTokenSource())
            {
                var renewal = Task.Run(async () =>
                {
                    while (true)
                    {
                        await Task.Delay(Visibility / 3, done.Token);
                        receipt = (await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: Visibility, cancellationToken: done.Token)).Value.PopReceipt;
                    }
                }, done.Token);
                try
                {
                    await handle(message.MessageText, handlerToken);
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
                await done.CancelAsync();
                await renewal.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            if (failure is null)
            {
                await SettleAsync(name, token => queue.DeleteMessageAsync(message.MessageId, receipt, token));
            }
            else if (handlerToken.IsCancellationRequested)
            {
                // Cut short by the stop: visible again now for another instance, and not counted as a failure.
                await SettleAsync(name, token => queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: token));
            }
            else
            {
                logger.LogWarning(failure, "Queue {Queue} message {MessageId} failed (try {Count})", name, message.MessageId, message.DequeueCount);
                if (message.DequeueCount >= MaxDequeueCount)
                {
                    await SettleAsync(name, async token =>
                    {
                        await poison.SendMessageAsync(message.MessageText, token);
                        await queue.DeleteMessageAsync(message.MessageId, receipt, token);
                    });
                }
                else
                {
                    await SettleAsync(name, token => queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: RetryVisibility, cancellationToken: token));
                }
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task SettleAsync(string name, Func<CancellationToken, Task> settle)
    {
        using var bounded = new CancellationTokenSource(SettleTimeout);
        try
        {
            await settle(bounded.Token);
        }
        catch (Exception exception)
        {
            // The message reappears when its visibility lapses and is handled again: handlers are idempotent.
            logger.LogWarning(exception, "Queue {Queue}: a message could not be settled", name);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

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
