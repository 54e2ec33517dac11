using Interflow.Core.Channels;
using Interflow.Core.Events;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Messages;

/// <summary>
/// Delivery attempts of outbound messages, for the send request and for the outbound queue alike.
/// <para>Never lost: before any attempt, a queue message that will check on the outcome is enqueued (a crash
/// anywhere later is picked up by it). Never sent twice: an attempt first claims the message with a conditional
/// write (a lease); a second consumer of a duplicate queue message loses that write and backs off, and a message
/// that left <c>queued</c> is never attempted again.</para>
/// </summary>
public sealed class OutboundDelivery(
    IMessageStore messages,
    IChannelStore channels,
    IMessageProviders providers,
    IOutboundQueue queue,
    MessageTransitions transitions,
    EventRelay relay,
    DeliveryPolicy policy,
    TimeProvider clock,
    ILogger<OutboundDelivery> logger)
{
    public const string Kind = "messages";

    /// <summary>Stores a new queued message already held for its first attempt, with its safety check enqueued first.</summary>
    /// <param name="safetyCheck">False when the caller's own queue message already plays that part (a bulk chunk).</param>
    public async Task<Message> CreateHeldAsync(Message message, bool safetyCheck, CancellationToken cancellationToken)
    {
        var held = message with { LeaseUntil = clock.GetUtcNow() + policy.Lease };
        if (safetyCheck)
        {
            await queue.EnqueueAsync(OutboundWork.For(held), policy.Lease, cancellationToken);
        }
        return await messages.CreateAsync(held, cancellationToken);
    }

    /// <summary>Calls the provider for a message this caller holds, and records the outcome.</summary>
    public async Task<Message> AttemptAsync(Message held, CancellationToken cancellationToken)
    {
        var channel = await channels.GetAsync(held.Tenant, held.ChannelId, cancellationToken);
        ProviderResult result;
        try
        {
            result = channel is null
                ? new ProviderResult.Rejected(new MessageError("CHANNEL_NOT_FOUND", "The message's channel no longer exists"))
                : await providers.For(channel).SendAsync(channel, held, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A provider that throws counts as an attempt, so that the attempt limit bounds it like any failure.
            logger.LogError(exception, "Provider failed on message {MessageId}", held.Id);
            result = new ProviderResult.Retryable(new MessageError("PROVIDER_ERROR", "The provider failed unexpectedly"));
        }
        var now = clock.GetUtcNow();
        var attempts = held.Attempts + 1;
        switch (result)
        {
            case ProviderResult.Accepted accepted:
                return await SaveAsync(held with { Attempts = attempts }, m => transitions.Apply(m, MessageStatus.Sent, now, providerMessageId: accepted.ProviderMessageId), cancellationToken);
            case ProviderResult.Retryable retryable when attempts < policy.MaxAttempts:
                var delay = policy.DelayAfter(attempts);
                logger.LogInformation("Message {MessageId} attempt {Attempt} failed ({Code}); retrying in {Delay}", held.Id, attempts, retryable.Error.Code, delay);
                await queue.EnqueueAsync(OutboundWork.For(held), delay, cancellationToken);
                return await SaveAsync(held, m => m with { Attempts = attempts, Error = retryable.Error, LeaseUntil = now + delay, UpdatedAt = now }, cancellationToken);
            case ProviderResult.Retryable retryable:
                return await SaveAsync(held with { Attempts = attempts }, m => transitions.Apply(m, MessageStatus.Failed, now, retryable.Error), cancellationToken);
            case ProviderResult.Rejected rejected:
                return await SaveAsync(held with { Attempts = attempts }, m => transitions.Apply(m, MessageStatus.Failed, now, rejected.Error), cancellationToken);
            default:
                throw new InvalidOperationException($"unknown provider result {result}");
        }
    }

    /// <summary>The outbound queue's handler: attempts the message if it still waits and nobody holds it.</summary>
    public async Task HandleAsync(OutboundWork work, CancellationToken cancellationToken)
    {
        var message = await messages.GetAsync(work.Tenant, work.MessageId, cancellationToken);
        if (message is null || message.Status != MessageStatus.Queued)
        {
            return;
        }
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

    /// <summary>A queue message the host gave up on: the message is failed, never silently left queued.</summary>
    public async Task HandlePoisonAsync(OutboundWork work, CancellationToken cancellationToken)
    {
        var message = await messages.GetAsync(work.Tenant, work.MessageId, cancellationToken);
        if (message is { Status: MessageStatus.Queued })
        {
            var error = new MessageError("DELIVERY_ABANDONED", "Delivery was abandoned after repeated processing failures");
            await SaveAsync(message, m => transitions.Apply(m, MessageStatus.Failed, clock.GetUtcNow(), error), cancellationToken);
        }
    }

    /// <summary>Applies a change to the message, re-reading and re-applying when a concurrent write (a status report) got there first.</summary>
    public async Task<Message> SaveAsync(Message current, Func<Message, Message> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var saved = await messages.ReplaceAsync(change(current), current.ETag, cancellationToken);
                await relay.TryRelayAsync(new OutboxEntry(Kind, saved.Tenant, saved.Id, saved.ETag, saved.Outbox), cancellationToken);
                return saved;
            }
            catch (VersionMismatchException) when (attempt < 10)
            {
                var fresh = await messages.GetAsync(current.Tenant, current.Id, cancellationToken) ?? throw new NotFoundException();
                current = fresh with { Attempts = Math.Max(fresh.Attempts, current.Attempts) };
            }
        }
    }
}
