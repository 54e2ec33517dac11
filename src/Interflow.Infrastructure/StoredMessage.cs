using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure;

/// <summary>A message as every store keeps it: a flat document of strings, numbers and JSON.</summary>
public sealed record StoredMessage(
    string Id,
    string TenantId,
    string ChannelId,
    string ChatId,
    string CustomerId,
    string Direction,
    string Phone,
    string Type,
    JsonElement Content,
    JsonElement? Metadata,
    string Status,
    MessageError? Error,
    string? ProviderMessageId,
    string CreatedAt,
    string UpdatedAt,
    string? SentAt,
    string? DeliveredAt,
    string? ReadAt,
    string? FailedAt,
    int Attempts,
    string? LeaseUntil,
    IReadOnlyList<DomainEvent> Outbox,
    bool HasOutbox)
{
    public static StoredMessage From(Message m) => new(
        m.Id, m.Tenant.Key, m.ChannelId, m.ChatId, m.CustomerId, EnumNames.Name(m.Direction), m.Phone, EnumNames.Name(m.Type),
        m.Content, m.Metadata, EnumNames.Name(m.Status), m.Error, m.ProviderMessageId, StoredTime.Format(m.CreatedAt),
        StoredTime.Format(m.UpdatedAt), Format(m.SentAt), Format(m.DeliveredAt), Format(m.ReadAt), Format(m.FailedAt),
        m.Attempts, Format(m.LeaseUntil), m.Outbox, m.Outbox.Count > 0);

    public Message ToMessage(Tenant tenant, string etag) => new(
        Id, tenant, ChannelId, ChatId, CustomerId, EnumNames.Parse<MessageDirection>(Direction), Phone,
        EnumNames.Parse<MessageType>(Type), Content, Metadata, EnumNames.Parse<MessageStatus>(Status), Error,
        ProviderMessageId, StoredTime.Parse(CreatedAt), StoredTime.Parse(UpdatedAt), Parse(SentAt), Parse(DeliveredAt),
        Parse(ReadAt), Parse(FailedAt), Attempts, Parse(LeaseUntil), Outbox, etag);

    private static string? Format(DateTimeOffset? value) => value is { } v ? StoredTime.Format(v) : null;

    private static DateTimeOffset? Parse(string? value) => value is null ? null : StoredTime.Parse(value);
}
