using System.Text.Json;
using System.Text.RegularExpressions;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Messages;
using Interflow.Core.Validation;

namespace Interflow.Api.Messages;

/// <summary>Reads and validates a send request, with the content rules of each message type, reporting every bad field at once.</summary>
public static partial class MessageRequest
{
    public const int TextMaxLength = 4096;
    public const int CaptionMaxLength = 1024;

    public static OutgoingMessage Read(JsonElement body)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(body, errors);
        var channelId = fields.RequiredString("channel_id", 100);
        var toText = fields.RequiredString("to", 16);
        var typeName = fields.RequiredString("type", 20);
        var content = fields.Object("content", required: true);
        var chatId = fields.String("chat_id", 100);
        var metadata = fields.Get("metadata");
        fields.RejectUnknown();

        var to = "";
        if (toText is not null && !PhoneNumber.TryNormalize(toText, out to))
        {
            errors.Add("to", FieldProblem.InvalidPhone);
        }
        MessageType type = default;
        var typeKnown = typeName is not null && EnumNames.TryParse(typeName, out type);
        if (typeName is not null && !typeKnown)
        {
            errors.Add("type", FieldProblem.InvalidValue, EnumNames.List<MessageType>());
        }
        if (content is not null && typeKnown)
        {
            ReadContent(type, content);
        }
        if (metadata.IsSet && metadata.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            errors.Add("metadata", FieldProblem.MustBeObject);
        }
        errors.ThrowIfAny();
        return new OutgoingMessage(
            channelId!, to, type, body.GetProperty("content").Clone(), chatId.Value,
            metadata.IsSet && metadata.Value.ValueKind == JsonValueKind.Object ? metadata.Value.Clone() : null);
    }

    /// <summary>The content rules of <paramref name="type"/>, reported under the reader's own path.</summary>
    public static void ReadContent(MessageType type, JsonFields content)
    {
        switch (type)
        {
            case MessageType.Text:
                content.RequiredString("text", TextMaxLength);
                break;
            case MessageType.Image or MessageType.Video:
                Url(content);
                content.String("caption", CaptionMaxLength);
                break;
            case MessageType.Audio:
                Url(content);
                break;
            case MessageType.Document:
                Url(content);
                content.String("caption", CaptionMaxLength);
                content.String("filename", 240);
                break;
            case MessageType.Location:
                content.Number("latitude", -90, 90, required: true);
                content.Number("longitude", -180, 180, required: true);
                content.String("name", 1000);
                content.String("address", 1000);
                break;
            case MessageType.Template:
                if (content.RequiredString("name", 512) is { } name && !TemplateName().IsMatch(name))
                {
                    content.Add("name", FieldProblem.InvalidValue, "a-z, 0-9, _");
                }
                if (content.RequiredString("language", 15) is { } language && !LanguageCode().IsMatch(language))
                {
                    content.Add("language", FieldProblem.InvalidValue, "pt_BR, en_US, es, …");
                }
                content.StringList("variables", 100, CaptionMaxLength);
                break;
        }
        content.RejectUnknown();
    }

    private static void Url(JsonFields content)
    {
        if (content.RequiredString("url", 2048) is { } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0))
        {
            content.Add("url", FieldProblem.InvalidUrl);
        }
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex LanguageCode();
}
