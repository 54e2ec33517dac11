using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using System.Diagnostics;
using Interflow.Core.Events;
using Interflow.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Messages;

/// <summary>
/// Delivery attempts of outbound messages, for the send request, the outbound queue and bulk chunks alike.
/// <para>Never lost: before any attempt, something that will check on the outcome is in a queue (a single send's
/// safety check, or the bulk chunk's own message), so a crash anywhere later is picked up by it. Never sent twice:
/// an attempt first claims the message with a conditional write (a lease); a second consumer of a duplicate queue
/// message loses that write and backs off, and a message that left <c>queued</c> is never attempted again.</para>
/// </summary>
public sealed class OutboundDelivery(
    IMessageStore messages,
    IChannelStore channels,
    IMessageProviders providers,
    IOutboundQueue queue,
    ProviderReports reports,
    MessageTransitions transitions,
    EventRelay relay,
    DeliveryPolicy policy,
    TimeProvider clock,
    ILogger<OutboundDelivery> logger)
{
    public const string Kind = "messages";

    // Provider calls of one batch in flight at once: enough to hide an HTTP provider's latency, few enough to stay polite.
    private const int BatchParallelism = 8;

    /// <summary>Stores a new queued message already held for its first attempt, with its safety check enqueued first.</summary>
    /// <param name="safetyCheck">False when the caller's own queue message already plays that part (a bulk chunk).</param>
    public async Task<Message> CreateHeldAsync(Message message, bool safetyCheck, CancellationToken cancellationToken)
    {
        var held = message with { LeaseUntil = clock.GetUtcNow() + policy.Lease };
        if (safetyCheck)
        {
            await CheckLaterAsync(held.Tenant, [held.Id], cancellationToken);
        }
        return await messages.CreateAsync(held, cancellationToken);
    }

    /// <summary>
    /// The safety check of sends about to be created held: one queue message naming them all, visible once their
    /// hold ends, which attempts each one still waiting then.
    /// </summary>
    public Task CheckLaterAsync(Tenant tenant, IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        queue.EnqueueAsync(OutboundWork.ForBlock(tenant, messageIds), policy.Lease, cancellationToken);

    /// <summary>Calls the provider for a message this caller holds, and records the outcome.</summary>
    public async Task<Message> AttemptAsync(Message held, CancellationToken cancellationToken)
    {
        var channel = await channels.GetAsync(held.Tenant, held.ChannelId, cancellationToken);
        var result = await CallAsync(channel, held, cancellationToken);
        await reports.ScheduleAsync([result], cancellationToken);
        var change = await OutcomeAsync(held, result, cancellationToken);
        return await SaveAsync(held, change, cancellationToken);
    }

    /// <summary>
    /// Attempts a batch of held messages of one channel (a bulk chunk's block, a group of sends): provider calls side
    /// by side, the simulated reports in one queue message per due time, and every outcome saved and relayed in one write.
    /// </summary>
    /// <param name="relayFirst">Outboxes of records written with these messages (a batch's new customers and chats),
    /// relayed with the outcomes, before their events: one relay for the batch.</param>
    public async Task<IReadOnlyList<Message>> AttemptManyAsync(
        Channel channel, IReadOnlyList<Message> held, CancellationToken cancellationToken, IReadOnlyList<OutboxEntry>? relayFirst = null)
    {
        var results = new ProviderResult[held.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, held.Count), new ParallelOptions { MaxDegreeOfParallelism = BatchParallelism, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await CallAsync(channel, held[i], token));
        // The simulated reports are enqueued side by side with the write of the outcomes: a report that arrives
        // before its send is saved is looked at again later (ProviderStatusUpdates).
        var scheduled = reports.ScheduleAsync(results, cancellationToken);
        var changes = new List<(Message, Func<Message, Message>)>(held.Count);
        for (var i = 0; i < held.Count; i++)
        {
            changes.Add((held[i], await OutcomeAsync(held[i], results[i], cancellationToken)));
        }
        var saved = SaveManyAsync(changes, cancellationToken, relayFirst);
        await Task.WhenAll(scheduled, saved);
        return await saved;
    }

    /// <summary>The outbound queue's handler: attempts each message it names that still waits and that nobody holds.</summary>
    public async Task HandleAsync(OutboundWork work, CancellationToken cancellationToken)
    {
        foreach (var message in await ReadAsync(work, cancellationToken))
        {
            await HandleOneAsync(message, cancellationToken);
        }
    }

    private async Task HandleOneAsync(Message message, CancellationToken cancellationToken)
    {
        if (message.Status != MessageStatus.Queued)
        {
            return;
        }
        var work = OutboundWork.For(message);
        var now = clock.GetUtcNow();
        if (message.LeaseUntil is { } until && until > now + TimeSpan.FromSeconds(1))
        {
            // Held by an attempt or waiting out its backoff: look again when that ends, so the message is never dropped.
            await queue.EnqueueAsync(work, until - now, cancellationToken);
            return;
        }
        Message held;
        try
        {
            held = await messages.ReplaceAsync(message with { LeaseUntil = now + policy.Lease, UpdatedAt = now }, message.ETag, cancellationToken);
        }
        catch (VersionMismatchException)
        {
            return; // Claimed by another consumer, whose own check follows it.
        }
        await queue.EnqueueAsync(work, policy.Lease, cancellationToken);
        await AttemptAsync(held, cancellationToken);
    }

    /// <summary>Why a message failed when the queue message that carried it was given up on.</summary>
    public static readonly MessageError Abandoned = new("DELIVERY_ABANDONED", "Delivery was abandoned after repeated processing failures");

    /// <summary>A queue message the host gave up on: its messages still queued are failed, never silently left queued.</summary>
    public async Task HandlePoisonAsync(OutboundWork work, CancellationToken cancellationToken)
    {
        var queued = (await ReadAsync(work, cancellationToken)).Where(m => m.Status == MessageStatus.Queued).ToArray();
        if (queued.Length > 0)
        {
            await SaveManyAsync([.. queued.Select(m => (m, Refusal(Abandoned)))], cancellationToken);
        }
    }

    /// <summary>The messages a queue message names that exist: one point read, or one read for a block.</summary>
    private async Task<IReadOnlyList<Message>> ReadAsync(OutboundWork work, CancellationToken cancellationToken) =>
        work.MoreMessageIds is { Count: > 0 }
            ? await messages.GetManyAsync(work.Tenant, work.MessageIds, cancellationToken)
            : await messages.GetAsync(work.Tenant, work.MessageId, cancellationToken) is { } message ? [message] : [];

    /// <summary>Fails held messages with the error, in one write, without calling the provider.</summary>
    public Task<IReadOnlyList<Message>> RefuseManyAsync(
        IReadOnlyList<Message> held, MessageError error, CancellationToken cancellationToken, IReadOnlyList<OutboxEntry>? relayFirst = null) =>
        SaveManyAsync([.. held.Select(m => (m, Refusal(error)))], cancellationToken, relayFirst);

    /// <summary>The change that fails a message still queued; one that has moved on stays as it is.</summary>
    private Func<Message, Message> Refusal(MessageError error)
    {
        var now = clock.GetUtcNow();
        return m => m.Status == MessageStatus.Queued ? transitions.Apply(m, MessageStatus.Failed, now, error) : m;
    }

    /// <summary>Applies a change to the message, re-reading and re-applying when a concurrent write (a status report) got there first.</summary>
    public async Task<Message> SaveAsync(Message current, Func<Message, Message> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var saved = await messages.ReplaceAsync(change(current), current.ETag, cancellationToken);
                await relay.TryRelayAsync(Outbox(saved), cancellationToken);
                return saved;
            }
            catch (VersionMismatchException) when (attempt < 10)
            {
                var fresh = await messages.GetAsync(current.Tenant, current.Id, cancellationToken) ?? throw new NotFoundException();
                current = fresh with { Attempts = Math.Max(fresh.Attempts, current.Attempts) };
            }
        }
    }

    /// <summary>
    /// Applies each change to its message in one write and relays their events together; a message someone else
    /// wrote first is re-read and saved alone. A change that changes nothing writes nothing.
    /// </summary>
    /// <param name="relayFirst">As for <see cref="AttemptManyAsync"/>.</param>
    public async Task<IReadOnlyList<Message>> SaveManyAsync(
        IReadOnlyList<(Message Current, Func<Message, Message> Change)> changes, CancellationToken cancellationToken, IReadOnlyList<OutboxEntry>? relayFirst = null)
    {
        var result = changes.Select(c => c.Current).ToArray();
        var writes = new List<(int Index, VersionedWrite<Message> Write)>();
        for (var i = 0; i < changes.Count; i++)
        {
            var changed = changes[i].Change(changes[i].Current);
            if (!ReferenceEquals(changed, changes[i].Current))
            {
                writes.Add((i, new VersionedWrite<Message>(changed, changes[i].Current.ETag)));
            }
        }
        if (writes.Count == 0)
        {
            if (relayFirst is { Count: > 0 })
            {
                await relay.TryRelayAsync(relayFirst, cancellationToken);
            }
            return result;
        }
        var saved = await messages.ReplaceManyAsync([.. writes.Select(w => w.Write)], cancellationToken);
        var conflicts = new List<int>();
        for (var w = 0; w < writes.Count; w++)
        {
            if (saved[w] is { } message)
            {
                result[writes[w].Index] = message;
            }
            else
            {
                conflicts.Add(writes[w].Index);
            }
        }
        await relay.TryRelayAsync([.. relayFirst ?? [], .. saved.OfType<Message>().Select(Outbox)], cancellationToken);
        foreach (var i in conflicts)
        {
            result[i] = await SaveAsync(changes[i].Current, changes[i].Change, cancellationToken);
        }
        return result;
    }

    public static OutboxEntry Outbox(Message message) => new(Kind, message.Tenant, message.Id, message.ETag, message.Outbox);

    /// <summary>One provider call; a provider that throws counts as a failed attempt, so that the attempt limit bounds it like any failure.</summary>
    private async Task<ProviderResult> CallAsync(Channel? channel, Message held, CancellationToken cancellationToken)
    {
        if (channel is null)
        {
            return new ProviderResult.Rejected(new MessageError("CHANNEL_NOT_FOUND", "The message's channel no longer exists"));
        }
        var kind = channel.Kind.ToName();
        using var activity = InterflowTelemetry.Source.StartActivity($"{kind} send", ActivityKind.Client);
        activity?.SetTag(InterflowTelemetry.Tags.Tenant, held.Tenant.Key).SetTag(InterflowTelemetry.Tags.MessageId, held.Id)
            .SetTag(InterflowTelemetry.Tags.ChannelKind, kind).SetTag(InterflowTelemetry.Tags.Attempt, held.Attempts + 1);
        var started = Stopwatch.GetTimestamp();
        ProviderResult result;
        try
        {
            result = await providers.For(channel).SendAsync(channel, held, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Provider failed on message {MessageId}", held.Id);
            result = new ProviderResult.Retryable(new MessageError("PROVIDER_ERROR", "The provider failed unexpectedly"));
        }
        var (outcome, error) = result switch
        {
            ProviderResult.Accepted => ("accepted", null),
            ProviderResult.Retryable retryable => ("retryable", retryable.Error.Code),
            ProviderResult.Rejected rejected => ("rejected", rejected.Error.Code),
            _ => ("unknown", null),
        };
        var tags = new TagList { { InterflowTelemetry.Tags.ChannelKind, kind }, { InterflowTelemetry.Tags.Outcome, outcome } };
        if (error is not null)
        {
            tags.Add(InterflowTelemetry.Tags.ErrorType, error);
            activity?.SetStatus(ActivityStatusCode.Error).SetTag(InterflowTelemetry.Tags.ErrorType, error);
        }
        activity?.SetTag(InterflowTelemetry.Tags.Outcome, outcome);
        InterflowTelemetry.ProviderDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        return result;
    }

    /// <summary>What the provider's answer does to the message; a retry is enqueued before the outcome is saved.</summary>
    private async Task<Func<Message, Message>> OutcomeAsync(Message held, ProviderResult result, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var attempts = held.Attempts + 1;
        switch (result)
        {
            case ProviderResult.Accepted accepted:
                return m => transitions.Apply(m with { Attempts = Math.Max(m.Attempts, attempts) }, MessageStatus.Sent, now, providerMessageId: accepted.ProviderMessageId);
            case ProviderResult.Retryable retryable when attempts < policy.MaxAttempts:
                var delay = policy.DelayAfter(attempts);
                logger.LogInformation("Message {MessageId} attempt {Attempt} failed ({Code}); retrying in {Delay}", held.Id, attempts, retryable.Error.Code, delay);
                await queue.EnqueueAsync(OutboundWork.For(held), delay, cancellationToken);
                return m => m with { Attempts = Math.Max(m.Attempts, attempts), Error = retryable.Error, LeaseUntil = now + delay, UpdatedAt = now };
            case ProviderResult.Retryable retryable:
                return m => transitions.Apply(m with { Attempts = Math.Max(m.Attempts, attempts) }, MessageStatus.Failed, now, retryable.Error);
            case ProviderResult.Rejected rejected:
                return m => transitions.Apply(m with { Attempts = Math.Max(m.Attempts, attempts) }, MessageStatus.Failed, now, rejected.Error);
            default:
                throw new InvalidOperationException($"unknown provider result {result}");
        }
    }
}
