using Interflow.Api.OpenApi;
using Interflow.Core.Channels;

namespace Interflow.Api.Channels;

/// <summary>The WhatsApp part of a channel as shown: the phone number id only, never a secret.</summary>
public sealed record WhatsAppView(string PhoneNumberId);

/// <param name="WebhookPath">Where Meta must send this channel's webhooks (path on this API's host).</param>
public sealed record ChannelView(
    string Id, string Name, [property: EnumOf(typeof(ChannelKind))] string Kind, int MessagesPerSecond, WhatsAppView? Whatsapp, string? WebhookPath, DateTimeOffset CreatedAt)
{
    public static ChannelView From(Channel channel) => new(
        channel.Id, channel.Name, channel.Kind.ToName(), channel.MessagesPerSecond,
        channel.WhatsApp is { } whatsApp ? new WhatsAppView(whatsApp.PhoneNumberId) : null,
        channel.Kind == ChannelKind.WhatsAppCloud ? "/" + Inbound.WhatsAppWebhookApi.Route.Replace("{channelId}", channel.Id, StringComparison.Ordinal) : null,
        channel.CreatedAt);
}
