using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <summary>A bulk job; its counts always add up: queued + sent + failed + cancelled = total.</summary>
/// <param name="Status">queued, processing, completed or cancelled.</param>
public sealed record BulkJob(
    string Id, string ChannelId, string Status, int Total, int Queued, int Sent, int Failed, int Cancelled, bool CancelRequested,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt) : ApiResource
{
    [JsonIgnore]
    public bool IsFinished => Status is "completed" or "cancelled";
}

/// <summary>
/// A bulk send of 1 to 10,000 messages: <see cref="Shared"/> content with per-recipient variables, or
/// <see cref="Individual"/> messages.
/// </summary>
public sealed record BulkSend
{
    private BulkSend(string channelId, MessageContent? content, IReadOnlyList<BulkRecipient>? recipients, IReadOnlyList<BulkMessage>? messages)
    {
        ChannelId = channelId;
        Content = content;
        Recipients = recipients;
        Messages = messages;
    }

    public string ChannelId { get; }

    public string? Type => Content?.Type;

    public MessageContent? Content { get; }

    public IReadOnlyList<BulkRecipient>? Recipients { get; }

    public IReadOnlyList<BulkMessage>? Messages { get; }

    /// <summary>One content for everyone; <c>{{1}}</c>, <c>{{2}}</c>… in a text (or a template's variables) take each recipient's.</summary>
    public static BulkSend Shared(string channelId, MessageContent content, IReadOnlyList<BulkRecipient> recipients) => new(channelId, content, recipients, null);

    public static BulkSend Individual(string channelId, IReadOnlyList<BulkMessage> messages) => new(channelId, null, null, messages);
}

public sealed record BulkRecipient(string To, IReadOnlyList<string>? Variables = null);

public sealed record BulkMessage(string To, MessageContent Content)
{
    [JsonPropertyOrder(-1)]
    public string Type => Content.Type;
}
