namespace Interflow.Client;

/// <param name="WebhookPath">For whatsapp_cloud: where Meta must send this channel's webhooks, on the API's host.</param>
public sealed record Channel(
    string Id, string Name, string Kind, int MessagesPerSecond, WhatsAppNumber? Whatsapp, string? WebhookPath, DateTimeOffset CreatedAt) : ApiResource;

/// <summary>The WhatsApp number of a channel as the API shows it: never a secret.</summary>
public sealed record WhatsAppNumber(string PhoneNumberId);

/// <summary>A new channel: <see cref="Sandbox"/> or <see cref="WhatsAppCloud"/>.</summary>
/// <param name="MessagesPerSecond">How fast bulk sends may go (default 80).</param>
public sealed record NewChannel(string Name, string Kind, int? MessagesPerSecond = null, WhatsAppCredentials? Whatsapp = null)
{
    public static NewChannel Sandbox(string name, int? messagesPerSecond = null) => new(name, "sandbox", messagesPerSecond);

    public static NewChannel WhatsAppCloud(string name, WhatsAppCredentials credentials, int? messagesPerSecond = null) =>
        new(name, "whatsapp_cloud", messagesPerSecond, credentials);
}

/// <summary>Meta's credentials for a WhatsApp Cloud number: stored by the API, never returned.</summary>
public sealed record WhatsAppCredentials(string PhoneNumberId, string AccessToken, string AppSecret, string VerifyToken);
