using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Core;
using Interflow.Core.Messages;

namespace Interflow.Infrastructure.Channels;

/// <summary>A message in the Graph API's wire format (<c>POST /{phone-number-id}/messages</c>), one shape per type.</summary>
public static class WhatsAppPayload
{
    public static JsonObject For(Message message)
    {
        var content = message.Content;
        var type = EnumNames.Name(message.Type);
        var payload = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = message.Phone,
            ["type"] = type,
        };
        payload[type] = message.Type switch
        {
            MessageType.Text => new JsonObject { ["preview_url"] = false, ["body"] = Text(content, "text") },
            MessageType.Image or MessageType.Video => Media(content, "caption"),
            MessageType.Audio => Media(content),
            MessageType.Document => Media(content, "caption", "filename"),
            MessageType.Location => Location(content),
            MessageType.Template => Template(content),
            _ => throw new ArgumentOutOfRangeException(nameof(message)),
        };
        return payload;
    }

    private static JsonObject Media(JsonElement content, params string[] optional)
    {
        var media = new JsonObject { ["link"] = Text(content, "url") };
        foreach (var name in optional)
        {
            if (content.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                media[name] = value.GetString();
            }
        }
        return media;
    }

    private static JsonObject Location(JsonElement content)
    {
        var location = new JsonObject
        {
            ["latitude"] = content.GetProperty("latitude").GetDouble(),
            ["longitude"] = content.GetProperty("longitude").GetDouble(),
        };
        foreach (var name in new[] { "name", "address" })
        {
            if (content.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                location[name] = value.GetString();
            }
        }
        return location;
    }

    /// <summary>Our positional <c>variables</c> become the body component's text parameters.</summary>
    private static JsonObject Template(JsonElement content)
    {
        var template = new JsonObject
        {
            ["name"] = Text(content, "name"),
            ["language"] = new JsonObject { ["code"] = Text(content, "language") },
        };
        if (content.TryGetProperty("variables", out var variables) && variables.ValueKind == JsonValueKind.Array && variables.GetArrayLength() > 0)
        {
            var parameters = new JsonArray();
            foreach (var variable in variables.EnumerateArray())
            {
                parameters.Add(new JsonObject { ["type"] = "text", ["text"] = variable.GetString() });
            }
            template["components"] = new JsonArray { new JsonObject { ["type"] = "body", ["parameters"] = parameters } };
        }
        return template;
    }

    private static string Text(JsonElement content, string name) => content.GetProperty(name).GetString()!;
}
