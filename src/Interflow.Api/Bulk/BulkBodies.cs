using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Interflow.Api.Messages;
using Interflow.Api.OpenApi;
using Interflow.Core.Bulk;
using Interflow.Core.Messages;

namespace Interflow.Api.Bulk;

// The documented shape of a bulk send; BulkRequest is what validates it.

[Description("Either shared content with per-recipient variables (type, content, recipients), or a list of full messages (messages)")]
[RequiresOneOf(true, "recipients", "messages")]
public sealed record BulkBody(
    [property: Required, MaxLength(100)] string ChannelId,
    [property: EnumOf(typeof(MessageType)), Description("With recipients: the shared type")] string? Type,
    [property: OneOf(typeof(TextContent), typeof(MediaContent), typeof(LocationContent), typeof(TemplateContent)), Description("With recipients: the shared content; {{1}}, {{2}}… in a text take each recipient's variables, as a template's variables do")] JsonElement? Content,
    [property: Length(1, BulkSends.MaxRecipients)] IReadOnlyList<BulkRecipientBody>? Recipients,
    [property: Length(1, BulkSends.MaxRecipients)] IReadOnlyList<BulkMessageBody>? Messages);

public sealed record BulkRecipientBody(
    [property: Required, MaxLength(16), Description("E.164 digits without '+', a real number")] string To,
    [property: MaxLength(20), Items(MinLength = 1, MaxLength = MessageRequest.CaptionMaxLength)] IReadOnlyList<string>? Variables);

public sealed record BulkMessageBody(
    [property: Required, MaxLength(16)] string To,
    [property: Required, EnumOf(typeof(MessageType))] string Type,
    [property: Required, OneOf(typeof(TextContent), typeof(MediaContent), typeof(LocationContent), typeof(TemplateContent))] JsonElement Content);
