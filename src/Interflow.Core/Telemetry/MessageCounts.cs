using System.Diagnostics;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Events;
using Microsoft.Extensions.Logging;

namespace Interflow.Core.Telemetry;

/// <summary>
/// <c>interflow.messages</c> and <c>interflow.message.send_to_sent</c>, counted where each change happens once: a
/// message is accepted when its record is created (a repeated send finds it and is not counted), and it is sent,
/// delivered, read, failed or received when its event first enters the event log (a relay repeated after a crash
/// appends nothing new, so nothing is counted twice).
/// </summary>
public sealed class MessageCounts(IChannelStore channels, ILogger<MessageCounts> logger)
{
    public const string Accepted = "accepted";

    private const string MessageEvents = "message.";

    public static void CountAccepted(Channel channel, int count)
    {
        if (count > 0)
        {
            InterflowTelemetry.Messages.Add(count, new(InterflowTelemetry.Tags.Status, Accepted), new(InterflowTelemetry.Tags.ChannelKind, channel.Kind.ToName()));
        }
    }

    /// <summary>Counts the message events the log has just taken. A failure to count never fails the relay that called it.</summary>
    public async Task CountAsync(Tenant tenant, IReadOnlyList<DomainEvent> added, CancellationToken cancellationToken)
    {
        if (!InterflowTelemetry.Messages.Enabled && !InterflowTelemetry.SendToSent.Enabled)
        {
            return;
        }
        try
        {
            var kinds = new Dictionary<string, string>();
            foreach (var domainEvent in added.Where(e => e.Type.StartsWith(MessageEvents, StringComparison.Ordinal)))
            {
                var data = domainEvent.Data;
                var channelId = data.TryGetProperty("channel_id", out var id) ? id.GetString() ?? "" : "";
                if (!kinds.TryGetValue(channelId, out var kind))
                {
                    // The channel read cache answers this from memory after its first read.
                    kinds[channelId] = kind = await channels.GetAsync(tenant, channelId, cancellationToken) is { } channel ? channel.Kind.ToName() : "unknown";
                }
                var status = domainEvent.Type[MessageEvents.Length..];
                var tags = new TagList
                {
                    { InterflowTelemetry.Tags.Status, status },
                    { InterflowTelemetry.Tags.ChannelKind, kind },
                };
                if (data.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code))
                {
                    tags.Add(InterflowTelemetry.Tags.ErrorType, code.GetString());
                }
                InterflowTelemetry.Messages.Add(1, tags);
                if (domainEvent.Type == EventTypes.MessageSent && Time(data, "created_at") is { } created && Time(data, "sent_at") is { } sent)
                {
                    InterflowTelemetry.SendToSent.Record(Math.Max(0, (sent - created).TotalSeconds), new KeyValuePair<string, object?>(InterflowTelemetry.Tags.ChannelKind, kind));
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Message metrics of {Count} events not counted", added.Count);
        }
    }

    private static DateTimeOffset? Time(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;
}
