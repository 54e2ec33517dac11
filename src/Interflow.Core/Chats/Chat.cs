using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Core.Chats;

public enum ChatStatus
{
    Open,
    Closed,
}

/// <summary>A conversation of one customer on one channel; a customer has at most one open chat per channel.</summary>
/// <param name="Outbox">Events of the last write, not yet relayed to the event log.</param>
public sealed record Chat(
    string Id,
    Tenant Tenant,
    string ChannelId,
    string CustomerId,
    ChatStatus Status,
    DateTimeOffset? LastMessageAt,
    int UnreadCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<DomainEvent> Outbox,
    string ETag = "")
{
    /// <summary>What lists order by: the last message, or creation for a chat without messages.</summary>
    public DateTimeOffset ActivityAt => LastMessageAt ?? CreatedAt;
}

public sealed record ChatFilter(ChatStatus? Status = null, string? ChannelId = null, string? CustomerId = null);
