using Interflow.Core.Events;

namespace Interflow.Core.Messages;

/// <summary>
/// Status changes of an outbound message. Statuses only move forward (providers report out of order: a late
/// "delivered" never undoes "read"), and each newly reached status records its event.
/// </summary>
public sealed class MessageTransitions(EventFactory events)
{
    private static int Rank(MessageStatus status) => status switch
    {
        MessageStatus.Queued => 0,
        MessageStatus.Sent => 1,
        MessageStatus.Delivered => 2,
        MessageStatus.Read => 3,
        _ => 4,
    };

    /// <returns>The message moved to <paramref name="status"/>, or unchanged when that would move it back.</returns>
    public Message Apply(Message message, MessageStatus status, DateTimeOffset at, MessageError? error = null, string? providerMessageId = null)
    {
        if (message.Direction != MessageDirection.Outbound || message.Status == MessageStatus.Failed)
        {
            return message;
        }
        if (status == MessageStatus.Failed)
        {
            if (Rank(message.Status) >= Rank(MessageStatus.Delivered))
            {
                return message;
            }
            var failed = message with { Status = MessageStatus.Failed, FailedAt = at, Error = error, LeaseUntil = null, UpdatedAt = at };
            return failed with { Outbox = [.. message.Outbox, events.Create(EventTypes.MessageFailed, message.Id, failed, at)] };
        }
        if (Rank(status) <= Rank(message.Status))
        {
            return message;
        }
        var moved = message with
        {
            Status = status,
            ProviderMessageId = providerMessageId ?? message.ProviderMessageId,
            SentAt = message.SentAt ?? at,
            DeliveredAt = Rank(status) >= Rank(MessageStatus.Delivered) ? message.DeliveredAt ?? at : null,
            ReadAt = status == MessageStatus.Read ? at : null,
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
}
