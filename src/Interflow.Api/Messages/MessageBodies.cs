using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Interflow.Api.OpenApi;
using Interflow.Core.Messages;

namespace Interflow.Api.Messages;

// The documented shapes of a send and of message content; MessageRequest is what validates them.

public sealed record SendMessageBody(
    [property: Required, MaxLength(100)] string ChannelId,
    [property: Required, MaxLength(16), Description("The recipient: E.164 digits without '+', a real number")] string To,
    [property: Required, EnumOf(typeof(MessageType))] string Type,
    [property: Required, OneOf(typeof(TextContent), typeof(MediaContent), typeof(LocationContent), typeof(TemplateContent)), Description("As the type says: text, media (image, video, audio, document), location or template")] JsonElement Content,
    [property: MaxLength(100), Description("An open chat of this customer on this channel; by default the open one, opened when there is none")] string? ChatId,
    [property: Description("Your own JSON object, kept with the message")] IReadOnlyDictionary<string, JsonElement>? Metadata);

[Description("type text")]
public sealed record TextContent(
    [property: Required, Length(1, MessageRequest.TextMaxLength), Description("Tab and line breaks allowed")] string Text);

[Description("type image, video, audio or document (audio takes no caption, only document a filename)")]
public sealed record MediaContent(
    [property: Required, MaxLength(2048), Url, Description("An absolute https URL")] string Url,
    [property: Length(1, MessageRequest.CaptionMaxLength)] string? Caption,
    [property: Length(1, 240)] string? Filename);

[Description("type location")]
public sealed record LocationContent(
    [property: Required, Range(-90, 90)] double Latitude,
    [property: Required, Range(-180, 180)] double Longitude,
    [property: Length(1, 1000)] string? Name,
    [property: Length(1, 1000)] string? Address);

[Description("type template: an approved WhatsApp template")]
public sealed record TemplateContent(
    [property: Required, Length(1, 512), RegularExpression("^[a-z0-9_]+$")] string Name,
    [property: Required, RegularExpression("^[a-z]{2,3}(_[A-Z]{2})?$"), Description("pt_BR, en_US, es, …")] string Language,
    [property: MaxLength(100), Items(MinLength = 1, MaxLength = MessageRequest.CaptionMaxLength)] IReadOnlyList<string>? Variables);
