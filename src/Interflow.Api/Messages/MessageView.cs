using Interflow.Api.OpenApi;
using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Messages;

namespace Interflow.Api.Messages;

/// <summary>A message as the seed shows it, plus its chat, direction, error and status history.</summary>
/// <param name="To">The recipient of an outbound message.</param>
/// <param name="From">The sender of an inbound message.</param>
public sealed record MessageView(
    string Id,
    [property: EnumOf(typeof(MessageStatus))] string Status,
    string ChannelId,
    string ChatId,
    string CustomerId,
    [property: EnumOf(typeof(MessageDirection))] string Direction,
    string? To,
    string? From,
    [property: EnumOf(typeof(MessageType))] string Type,
    JsonElement Content,
    JsonElement? Metadata,
    MessageError? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? ReadAt,
    DateTimeOffset? FailedAt)
{
    public static MessageView Of(Message m) => new(
        m.Id, EnumNames.Name(m.Status), m.ChannelId, m.ChatId, m.CustomerId, EnumNames.Name(m.Direction),
        m.Direction == MessageDirection.Outbound ? m.Phone : null, m.Direction == MessageDirection.Inbound ? m.Phone : null,
        EnumNames.Name(m.Type), m.Content, m.Metadata, m.Error, m.CreatedAt, m.UpdatedAt, m.SentAt, m.DeliveredAt, m.ReadAt, m.FailedAt);
}
