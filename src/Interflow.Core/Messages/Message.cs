using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Core.Messages;

public enum MessageDirection
{
    Outbound,
    Inbound,
}

public enum MessageType
{
    Text,
    Image,
    Video,
    Audio,
    Document,
    Location,
    Template,
}

/// <summary>Outbound messages move forward only: queued → sent → delivered → read, or to failed; inbound ones are received.</summary>
public enum MessageStatus
{
    Queued,
    Sent,
    Delivered,
    Read,
    Failed,
    Received,
}

public sealed record MessageError(string Code, string Message);

/// <param name="Phone">The customer's number: the recipient of an outbound message, the sender of an inbound one.</param>
/// <param name="LeaseUntil">While set and in the future, one delivery attempt holds the message (no second provider call).</param>
public sealed record Message(
    string Id,
    Tenant Tenant,
    string ChannelId,
    string ChatId,
    string CustomerId,
    MessageDirection Direction,
    string Phone,
    MessageType Type,
    JsonElement Content,
    JsonElement? Metadata,
    MessageStatus Status,
    MessageError? Error,
    string? ProviderMessageId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? ReadAt,
    DateTimeOffset? FailedAt,
    int Attempts,
    DateTimeOffset? LeaseUntil,
    IReadOnlyList<DomainEvent> Outbox,
    string ETag = "");
