using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <param name="Status">open or closed.</param>
public sealed record Chat(
    string Id, string ChannelId, string CustomerId, string Status, DateTimeOffset? LastMessageAt, int UnreadCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? ClosedAt) : ApiResource;

/// <summary>The customer's open chat on a channel (returned when there is one, opened otherwise): by id or by phone.</summary>
public sealed record NewChat(string ChannelId, string? CustomerId = null, string? Phone = null)
{
    public static NewChat ForCustomer(string channelId, string customerId) => new(channelId, customerId);

    public static NewChat ForPhone(string channelId, string phone) => new(channelId, Phone: phone);
}

public sealed record ChatChanges(string? Status = null, int? UnreadCount = null)
{
    public static ChatChanges Close { get; } = new("closed");

    public static ChatChanges Reopen { get; } = new("open");

    public static ChatChanges MarkRead { get; } = new(UnreadCount: 0);
}

/// <param name="Status">open or closed.</param>
public sealed record ChatFilter(string? Status = null, string? ChannelId = null, string? CustomerId = null);
