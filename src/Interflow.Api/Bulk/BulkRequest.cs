using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Api.Messages;
using Interflow.Api.Validation;
using Interflow.Core;
using Interflow.Core.Bulk;
using Interflow.Core.Messages;
using Interflow.Core.Validation;

namespace Interflow.Api.Bulk;

/// <summary>
/// Reads a bulk request in either form: shared <c>{type, content, recipients: [{to, variables?}]}</c> or
/// <c>{messages: [{to, type, content}]}</c>. Every recipient is validated up front; one 422 lists every bad entry by
/// its index. Variables fill a template's <c>variables</c>, or <c>{{1}}</c>, <c>{{2}}</c>… in a text.
/// </summary>
public static class BulkRequest
{
    public static (string ChannelId, IReadOnlyList<BulkRecipient> Recipients) Read(JsonElement body)
    {
        var errors = new FieldErrors();
        var fields = JsonFields.Of(body, errors);
        var channelId = fields.RequiredString("channel_id", 100);
        var shared = fields.Get("recipients");
        var individual = fields.Get("messages");
        var typeName = fields.String("type", 20);
        var content = fields.Object("content");
        fields.RejectUnknown();
        var recipients = new List<BulkRecipient>();
        if (shared.IsSet == individual.IsSet && fields.IsObject)
        {
            errors.Add("recipients", FieldProblem.OneOfRequired, "recipients, messages");
        }
        else if (shared.IsSet)
        {
            MessageType type = default;
            if (typeName.Value is null && fields.IsObject)
            {
                errors.Add("type", FieldProblem.Required);
            }
            else if (typeName.Value is not null && !EnumNames.TryParse(typeName.Value, out type))
            {
                errors.Add("type", FieldProblem.InvalidValue, EnumNames.List<MessageType>());
            }
            else if (content is null && fields.IsObject)
            {
                errors.Add("content", FieldProblem.Required);
            }
            else if (content is not null)
            {
                MessageRequest.ReadContent(type, content);
            }
            var contentElement = body.TryGetProperty("content", out var c) ? c : default;
            foreach (var (entry, index) in Entries(shared.Value, "recipients", errors))
            {
                var to = Phone(entry);
                var variables = entry.StringList("variables", 20, MessageRequest.CaptionMaxLength);
                entry.RejectUnknown();
                if (to is not null && !errors.Any)
                {
                    recipients.Add(new BulkRecipient(to, type, Apply(type, contentElement, variables.Or([]))));
                }
            }
        }
        else if (individual.IsSet)
        {
            if (typeName.IsSet || content is not null)
            {
                errors.Add(typeName.IsSet ? "type" : "content", FieldProblem.UnknownField);
            }
            foreach (var (entry, index) in Entries(individual.Value, "messages", errors))
            {
                var to = Phone(entry);
                var entryType = entry.RequiredString("type", 20);
                var entryContent = entry.Object("content", required: true);
                entry.RejectUnknown();
                MessageType parsed = default;
                if (entryType is not null && !EnumNames.TryParse(entryType, out parsed))
                {
                    entry.Add("type", FieldProblem.InvalidValue, EnumNames.List<MessageType>());
                }
                else if (entryType is not null && entryContent is not null)
                {
                    MessageRequest.ReadContent(parsed, entryContent);
                    if (to is not null && !errors.Any)
                    {
                        recipients.Add(new BulkRecipient(to, parsed, individual.Value[index].GetProperty("content").Clone()));
                    }
                }
            }
        }
        errors.ThrowIfAny();
        return (channelId!, recipients);
    }

    private static IEnumerable<(JsonFields Entry, int Index)> Entries(JsonElement array, string name, FieldErrors errors)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(name, FieldProblem.MustBeArray);
            yield break;
        }
        var count = array.GetArrayLength();
        if (count is 0 or > BulkSends.MaxRecipients)
        {
            errors.Add(name, FieldProblem.OutOfRange, (1, BulkSends.MaxRecipients));
            yield break;
        }
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            yield return (JsonFields.Of(element, errors, $"{name}[{index}]"), index);
            index++;
        }
    }

    private static string? Phone(JsonFields entry)
    {
        var text = entry.RequiredString("to", 16);
        if (text is null)
        {
            return null;
        }
        if (!PhoneNumber.TryNormalize(text, out var digits))
        {
            entry.Add("to", FieldProblem.InvalidPhone);
            return null;
        }
        return digits;
    }

    private static JsonElement Apply(MessageType type, JsonElement content, IReadOnlyList<string> variables)
    {
        if (variables.Count == 0)
        {
            return content.Clone();
        }
        var node = JsonNode.Parse(content.GetRawText())!.AsObject();
        if (type == MessageType.Template)
        {
            node["variables"] = new JsonArray([.. variables.Select(v => JsonValue.Create(v))]);
        }
        else if (type == MessageType.Text)
        {
            var text = node["text"]!.GetValue<string>();
            for (var i = 0; i < variables.Count; i++)
            {
                text = text.Replace($"{{{{{i + 1}}}}}", variables[i], StringComparison.Ordinal);
            }
            node["text"] = text;
        }
        return JsonSerializer.SerializeToElement(node);
    }
}
