using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Core;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure.Channels;

/// <summary>What one WhatsApp webhook delivery carries: messages customers sent, and status reports of ours.</summary>
public sealed record WhatsAppNotification(IReadOnlyList<IncomingMessage> Messages, IReadOnlyList<ProviderStatus> Statuses);

/// <summary>The WhatsApp Cloud API webhook protocol: <c>X-Hub-Signature-256</c> and the notification payload.</summary>
public static class WhatsAppWebhook
{
    /// <summary>HMAC-SHA256 of the exact body with the app secret, compared in constant time.</summary>
    public static bool IsSigned(byte[] body, string? signatureHeader, string appSecret)
    {
        const string prefix = "sha256=";
        if (signatureHeader is null || !signatureHeader.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body);
        byte[] sent;
        try
        {
            sent = Convert.FromHexString(signatureHeader[prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, sent);
    }

    /// <summary>
    /// Reads the notification; kinds of message this API does not model (reactions, stickers…) are left out, and so
    /// is any part not shaped as Meta documents it: a signed payload is never answered with an error that Meta would
    /// retry forever.
    /// </summary>
    public static WhatsAppNotification Parse(JsonElement root, string channelId)
    {
        var messages = new List<IncomingMessage>();
        var statuses = new List<ProviderStatus>();
        foreach (var entry in Array(root, "entry"))
        {
            foreach (var change in Array(entry, "changes"))
            {
                if (change.ValueKind != JsonValueKind.Object || !change.TryGetProperty("value", out var value))
                {
                    continue;
                }
                var names = new Dictionary<string, string?>();
                foreach (var contact in Array(value, "contacts"))
                {
                    if (Text(contact, "wa_id") is { } waId)
                    {
                        names[waId] = contact.TryGetProperty("profile", out var profile) ? Text(profile, "name") : null;
                    }
                }
                foreach (var message in Array(value, "messages"))
                {
                    if (Incoming(message, names) is { } incoming)
                    {
                        messages.Add(incoming);
                    }
                }
                foreach (var status in Array(value, "statuses"))
                {
                    var error = Array(status, "errors").FirstOrDefault();
                    statuses.Add(new ProviderStatus(
                        channelId, Text(status, "id") ?? "", Text(status, "status") ?? "", Timestamp(status),
                        error.ValueKind == JsonValueKind.Object ? $"WHATSAPP_{Number(error, "code")}" : null,
                        error.ValueKind == JsonValueKind.Object ? Text(error, "title") ?? Text(error, "message") : null));
                }
            }
        }
        return new WhatsAppNotification(messages, statuses);
    }

    private static IncomingMessage? Incoming(JsonElement message, Dictionary<string, string?> names)
    {
        var from = Text(message, "from");
        var id = Text(message, "id");
        if (from is null || id is null || !EnumNames.TryParse<MessageType>(Text(message, "type"), out var type))
        {
            return null;
        }
        var body = message.TryGetProperty(EnumNames.Name(type), out var b) ? b : default;
        if (type == MessageType.Location && (Coordinate(body, "latitude") is null || Coordinate(body, "longitude") is null))
        {
            return null;
        }
        JsonObject content = type switch
        {
            MessageType.Text => new JsonObject { ["text"] = Text(body, "body") },
            MessageType.Location => new JsonObject
            {
                ["latitude"] = Coordinate(body, "latitude"),
                ["longitude"] = Coordinate(body, "longitude"),
                ["name"] = Text(body, "name"),
                ["address"] = Text(body, "address"),
            },
            MessageType.Template => new JsonObject { ["name"] = Text(body, "name") },
            _ => new JsonObject
            {
                ["media_id"] = Text(body, "id"),
                ["mime_type"] = Text(body, "mime_type"),
                ["caption"] = Text(body, "caption"),
                ["filename"] = Text(body, "filename"),
            },
        };
        return new IncomingMessage(id, from, names.GetValueOrDefault(from), type, JsonSerializer.SerializeToElement(content), Timestamp(message));
    }

    private static DateTimeOffset Timestamp(JsonElement element) =>
        long.TryParse(Text(element, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UtcNow;

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Coordinate(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : null;

    private static string Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ToString() : "UNKNOWN";
}
