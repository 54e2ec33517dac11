using Interflow.Core.Accounts;

namespace Interflow.Core.Channels;

public enum ChannelKind
{
    Sandbox,

    // Meta writes "WhatsApp" as one word: not the snake_case of the member's name.
    [System.Text.Json.Serialization.JsonStringEnumMemberName("whatsapp_cloud")]
    WhatsAppCloud,
}

public static class ChannelKinds
{
    public static string ToName(this ChannelKind kind) => kind == ChannelKind.Sandbox ? "sandbox" : "whatsapp_cloud";

    public static ChannelKind Parse(string value) =>
        TryParse(value, out var kind) ? kind : throw new FormatException($"unknown channel kind '{value}'");

    public static bool TryParse(string? value, out ChannelKind kind)
    {
        kind = value == "whatsapp_cloud" ? ChannelKind.WhatsAppCloud : ChannelKind.Sandbox;
        return value is "sandbox" or "whatsapp_cloud";
    }
}

/// <summary>
/// WhatsApp Cloud API secrets. Stored with the channel, never returned by the API and never logged
/// (<see cref="ToString"/> hides them).
/// </summary>
public sealed record WhatsAppCredentials(string PhoneNumberId, string AccessToken, string AppSecret, string VerifyToken)
{
    public override string ToString() => $"WhatsAppCredentials {{ PhoneNumberId = {PhoneNumberId}, secrets hidden }}";
}

/// <summary>A sending number of an account: the sandbox, or one WhatsApp Cloud API phone number.</summary>
/// <param name="MessagesPerSecond">The provider throughput this channel may use (bulk sends pace to it).</param>
public sealed record Channel(
    string Id,
    Tenant Tenant,
    ChannelKind Kind,
    string Name,
    WhatsAppCredentials? WhatsApp,
    int MessagesPerSecond,
    DateTimeOffset CreatedAt)
{
    public const int DefaultMessagesPerSecond = 80;
}
