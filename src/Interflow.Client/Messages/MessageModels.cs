using System.Text.Json;
using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <param name="Status">queued, sent, delivered, read or failed (received for inbound messages).</param>
/// <param name="To">The recipient of an outbound message.</param>
/// <param name="From">The sender of an inbound message.</param>
/// <param name="Content">As <paramref name="Type"/> says (text, media, location, template).</param>
public sealed record Message(
    string Id, string Status, string ChannelId, string ChatId, string CustomerId, string Direction, string? To, string? From, string Type,
    JsonElement Content, JsonElement? Metadata, MessageError? Error, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt, DateTimeOffset? ReadAt, DateTimeOffset? FailedAt) : ApiResource;

/// <summary>Why a message failed (the provider's reason, mapped).</summary>
public sealed record MessageError(string Code, string Message);

/// <summary>A message to send.</summary>
/// <param name="To">E.164 digits without '+': the customer is found or created by it.</param>
/// <param name="ChatId">An open chat of this customer on this channel; by default the open one, opened when there is none.</param>
/// <param name="Metadata">Your own JSON object, kept with the message.</param>
public sealed record SendMessage(string ChannelId, string To, MessageContent Content, string? ChatId = null, IReadOnlyDictionary<string, object?>? Metadata = null)
{
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type => Content.Type;
}
