using System.Diagnostics;
using System.Text.Json.Nodes;
using Interflow.Core.Bulk;
using Interflow.Core.Messages;
using Interflow.Core.Telemetry;
using Interflow.Core.Webhooks;
using Microsoft.Extensions.Logging;

namespace Interflow.Infrastructure.Queues;

/// <summary>
/// What each queue's messages do, host-agnostic: the Functions queue triggers and the test server's pump both call
/// these. Every handler is idempotent (a message may come twice) and bounded in time.
/// <para>Every consumed queue has an answer for its poison messages (those the host gave up on after
/// <c>maxDequeueCount</c> tries): later passes on its own queue after the waits of <see cref="QueueOptions.PoisonPasses"/>
/// (a store or provider that was down may be back), then a final answer that settles what the message was for and
/// records why, so that no job, message or delivery is left waiting on a message nobody reads.</para>
/// </summary>
public sealed class QueueConsumers(
    OutboundDelivery delivery,
    ProviderStatusUpdates statuses,
    IProviderStatusQueue statusQueue,
    WebhookFanOut fanOut,
    WebhookRetries retries,
    EndpointProbes probes,
    BulkSends bulk,
    StorageQueues queues,
    QueueOptions options,
    ILogger<QueueConsumers> logger)
{
    private const int MaxStatusLookups = 10;
    private const string PassProperty = "poisonPass";
    private static readonly TimeSpan StatusRetryDelay = TimeSpan.FromSeconds(2);

    // A probe is never given up on while its endpoint is down: after its passes it starts over this much later.
    private static readonly TimeSpan ProbeAgain = TimeSpan.FromHours(1);

    public Task OutboundAsync(string body, CancellationToken cancellationToken) =>
        delivery.HandleAsync(StoredJson.Deserialize<OutboundWork>(body), cancellationToken);

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
        fanOut.FanOutAsync(StoredJson.Deserialize<WebhookFanoutWork>(body), cancellationToken);

    public Task WebhookDeliveriesAsync(string body, CancellationToken cancellationToken) =>
        retries.AttemptAsync(StoredJson.Deserialize<WebhookAttemptWork>(body), cancellationToken);

    public Task WebhookProbesAsync(string body, CancellationToken cancellationToken) =>
        probes.ProbeAsync(StoredJson.Deserialize<WebhookProbeWork>(body), cancellationToken);

    public Task BulkChunksAsync(string body, CancellationToken cancellationToken) =>
        bulk.ProcessChunkAsync(StoredJson.Deserialize<BulkChunkWork>(body), cancellationToken);

    private IReadOnlyDictionary<string, Func<string, CancellationToken, Task>>? handlers;

    /// <summary>Hands a message of the queue to its handler: what each queue trigger calls.</summary>
    public Task HandleAsync(string queue, string body, CancellationToken cancellationToken) => Handlers[queue](body, cancellationToken);

    /// <summary>The handler of each consumed queue, poison queues included, for hosts that dispatch by name; each in a span of its own.</summary>
    /// <remarks><c>bulk-jobs</c> itself is the host's own (the durable starter, or the test server's runner).</remarks>
    public IReadOnlyDictionary<string, Func<string, CancellationToken, Task>> Handlers => handlers ??= Plain.ToDictionary(h => h.Key, h => Traced(h.Key, h.Value));

    /// <summary>
    /// A queue's handler in a span that continues the trace of whatever enqueued the message (its <c>traceparent</c>),
    /// linked to the host's own span of the invocation where there is one, and with the message's age past due.
    /// </summary>
    public static Func<string, CancellationToken, Task> Traced(string queue, Func<string, CancellationToken, Task> handle) => async (body, cancellationToken) =>
    {
        var (parent, due) = QueueMessageTelemetry.Read(body);
        if (due is { } dueAt)
        {
            InterflowTelemetry.QueueMessageAge.Record(Math.Max(0, (DateTimeOffset.UtcNow - dueAt).TotalSeconds), new KeyValuePair<string, object?>(InterflowTelemetry.Tags.Queue, queue));
        }
        ActivityLink[]? invocation = Activity.Current is { } host ? [new ActivityLink(host.Context)] : null;
        using var activity = InterflowTelemetry.Source.StartActivity($"{queue} process", ActivityKind.Consumer, parent, links: invocation);
        activity?.SetTag(InterflowTelemetry.Tags.Queue, queue).SetTag(InterflowTelemetry.Tags.MessagingSystem, StorageQueues.MessagingSystem)
            .SetTag(InterflowTelemetry.Tags.MessagingOperation, "process");
        try
        {
            await handle(body, cancellationToken);
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error).SetTag(InterflowTelemetry.Tags.ErrorType, exception.GetType().FullName);
            throw;
        }
    };

    private Dictionary<string, Func<string, CancellationToken, Task>> Plain => new()
    {
        [QueueNames.Outbound] = OutboundAsync,
        [QueueNames.OutboundPoison] = Poison(QueueNames.Outbound, (body, ct) =>
            delivery.HandlePoisonAsync(StoredJson.Deserialize<OutboundWork>(body), ct)),
        [QueueNames.ProviderStatuses] = ProviderStatusAsync,
        [QueueNames.ProviderStatusesPoison] = Poison(QueueNames.ProviderStatuses, (body, _) =>
        {
            // Statuses only move forward: the messages keep what they have, and a later report still applies.
            var batch = StoredJson.Deserialize<ProviderStatusBatch>(body);
            logger.LogWarning("Dropped {Count} provider status reports after repeated processing failures: {Reports}",
                batch.Reports.Count, string.Join(", ", batch.Reports.Select(r => $"{r.ProviderMessageId} {r.Status}")));
            return Task.CompletedTask;
        }),
        [QueueNames.WebhookEvents] = WebhookEventsAsync,
        [QueueNames.WebhookEventsPoison] = Poison(QueueNames.WebhookEvents, (body, ct) =>
            fanOut.AbandonAsync(StoredJson.Deserialize<WebhookFanoutWork>(body), ct)),
        [QueueNames.WebhookDeliveries] = WebhookDeliveriesAsync,
        [QueueNames.WebhookDeliveriesPoison] = Poison(QueueNames.WebhookDeliveries, (body, ct) =>
            retries.AbandonAsync(StoredJson.Deserialize<WebhookAttemptWork>(body), ct)),
        [QueueNames.WebhookProbes] = WebhookProbesAsync,
        [QueueNames.WebhookProbesPoison] = Poison(QueueNames.WebhookProbes, (body, ct) =>
            probes.ProbeLaterAsync(StoredJson.Deserialize<WebhookProbeWork>(body), ProbeAgain, ct)),
        [QueueNames.BulkChunks] = BulkChunksAsync,
        [QueueNames.BulkChunksPoison] = Poison(QueueNames.BulkChunks, (body, ct) =>
            bulk.AbandonChunkAsync(StoredJson.Deserialize<BulkChunkWork>(body), "The bulk chunk was abandoned after repeated processing failures", ct)),
        [QueueNames.BulkJobsPoison] = Poison(QueueNames.BulkJobs, (body, ct) =>
            bulk.AbandonJobAsync(StoredJson.Deserialize<BulkJobRef>(body), ct)),
    };

    /// <summary>A poison queue's handler: the message's next later pass on its own queue, or, after the last, the final answer.</summary>
    private Func<string, CancellationToken, Task> Poison(string queue, Func<string, CancellationToken, Task> final) => async (body, cancellationToken) =>
    {
        var message = JsonNode.Parse(body)!.AsObject();
        var pass = message[PassProperty]?.GetValue<int>() ?? 0;
        var waits = options.PassWaits;
        if (pass < waits.Count)
        {
            // The pass travels in the message: work records ignore properties they do not know.
            message[PassProperty] = pass + 1;
            logger.LogWarning("A {Queue} message was given up on by the host; later pass {Pass} of {Passes} in {Wait}", queue, pass + 1, waits.Count, waits[pass]);
            await queues.SendTextAsync(queue, message.ToJsonString(), waits[pass], cancellationToken);
            return;
        }
        logger.LogError("A {Queue} message failed on every pass; settling what it was for: {Body}", queue, body);
        InterflowTelemetry.PoisonAnswers.Add(1, new KeyValuePair<string, object?>(InterflowTelemetry.Tags.Queue, queue));
        await final(body, cancellationToken);
    };
}
