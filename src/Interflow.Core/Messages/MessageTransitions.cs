using Interflow.Core.Events;

namespace Interflow.Core.Messages;

/// <summary>
/// Status changes of an outbound message. Statuses only move forward along queued → sent → failed → delivered →
/// read, and each newly reached status records its event. The order is total so that reports give the same result
/// whatever order they are applied in (providers report out of order, and batches are applied side by side): a late
/// "delivered" never undoes "read", a "failed" after delivery is ignored, and a delivered or read report supersedes
/// an earlier-applied "failed" (a delivered message did not fail).
/// </summary>
public sealed class MessageTransitions(EventFactory events)
{
    private static int Rank(MessageStatus status) => status switch
    {
        MessageStatus.Queued => 0,
        MessageStatus.Sent => 1,
        MessageStatus.Failed => 2,
        MessageStatus.Delivered => 3,
        MessageStatus.Read => 4,
        _ => 5,
    };

    /// <returns>The message moved to <paramref name="status"/>; or, for a step it has passed, with that step's time
    /// corrected when the report's is earlier; else unchanged (the same instance).</returns>
    public Message Apply(Message message, MessageStatus status, DateTimeOffset at, MessageError? error = null, string? providerMessageId = null)
    {
        if (message.Direction != MessageDirection.Outbound)
        {
            return message;
        }
        if (Rank(status) <= Rank(message.Status))
        {
            return Earlier(message, status, at);
        }
        if (status == MessageStatus.Failed)
        {
            var failed = message with { Status = MessageStatus.Failed, FailedAt = at, Error = error, LeaseUntil = null, UpdatedAt = at };
            return failed with { Outbox = [.. message.Outbox, events.Create(EventTypes.MessageFailed, message.Id, failed, at)] };
        }
        var moved = message with
        {
            Status = status,
            ProviderMessageId = providerMessageId ?? message.ProviderMessageId,
            SentAt = message.SentAt ?? at,
            DeliveredAt = Rank(status) >= Rank(MessageStatus.Delivered) ? message.DeliveredAt ?? at : null,
            ReadAt = status == MessageStatus.Read ? at : null,
            FailedAt = null,
            Error = null,
            LeaseUntil = null,
            UpdatedAt = at,
        };
        var outbox = message.Outbox.ToList();
        if (message.SentAt is null)
        {
            outbox.Add(events.Create(EventTypes.MessageSent, message.Id, moved, at));
        }
        if (moved.DeliveredAt is not null && message.DeliveredAt is null)
        {
            outbox.Add(events.Create(EventTypes.MessageDelivered, message.Id, moved, at));
        }
        if (moved.ReadAt is not null)
        {
            outbox.Add(events.Create(EventTypes.MessageRead, message.Id, moved, at));
        }
        return moved with { Outbox = outbox };
    }

    /// <summary>A late report of a step already passed still tells when it happened: the earliest report wins, so the times do not depend on the order reports are applied in.</summary>
    private static Message Earlier(Message message, MessageStatus status, DateTimeOffset at) => status switch
    {
        MessageStatus.Sent when message.SentAt > at => message with { SentAt = at },
        MessageStatus.Delivered when message.DeliveredAt > at => message with { DeliveredAt = at, SentAt = message.SentAt > at ? at : message.SentAt },
        MessageStatus.Read when message.ReadAt > at => message with { ReadAt = at },
        _ => message,
    };
}
