using System.Text.Json;
using Interflow.Api.Http;
using Interflow.Core.Validation;

namespace Interflow.Api.Validation;

/// <summary>
/// What every string of a request body must be before any handler reads it, checked in one walk of the document:
/// no property named twice (parsers disagree on which one wins), valid Unicode (an escaped unpaired surrogate would
/// make every later read throw), and no control characters (U+0000–U+001F, U+007F) in anything the API stores,
/// except tab and line breaks in message text and captions.
/// </summary>
public static class TextRules
{
    /// <param name="refuseControlCharacters">False for provider webhooks: what a customer typed is stored as sent, never refused.</param>
    /// <exception cref="ApiException">A property is repeated: 400 <c>INVALID_JSON</c>.</exception>
    /// <exception cref="ValidationException">Strings break the rules: 422, every such field at once.</exception>
    public static void Check(JsonElement root, bool refuseControlCharacters)
    {
        var errors = new FieldErrors();
        Walk(root, "", false, refuseControlCharacters, errors);
        errors.ThrowIfAny();
    }

    private static void Walk(JsonElement element, string path, bool multiline, bool refuseControl, FieldErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (Read(() => property.Name) is not { } name)
                    {
                        errors.Add(path.Length == 0 ? "body" : path, FieldProblem.InvalidUnicode);
                        continue;
                    }
                    var child = path.Length == 0 ? name : $"{path}.{name}";
                    if (!names.Add(name))
                    {
                        throw new ApiException(ErrorCode.InvalidJson, ErrorText.DuplicateProperty, child);
                    }
                    if (refuseControl && ControlCharacter(name, multiline: false) is { } code)
                    {
                        errors.Add(child, FieldProblem.ControlCharacter, code);
                    }
                    var isMessageText = name is "text" or "caption" && (path == "content" || path.EndsWith(".content", StringComparison.Ordinal));
                    Walk(property.Value, child, isMessageText, refuseControl, errors);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", false, refuseControl, errors);
                }
                break;
            case JsonValueKind.String:
                if (Read(element.GetString) is not { } text)
                {
                    errors.Add(path.Length == 0 ? "body" : path, FieldProblem.InvalidUnicode);
                }
                else if (refuseControl && ControlCharacter(text, multiline) is { } code)
                {
                    errors.Add(path.Length == 0 ? "body" : path, FieldProblem.ControlCharacter, code);
                }
                break;
        }
    }

    /// <summary>The string, or null when it holds an escaped unpaired surrogate (System.Text.Json throws on reading it).</summary>
    private static string? Read(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <returns>The first refused character as <c>U+XXXX</c>, or null.</returns>
    private static string? ControlCharacter(string text, bool multiline)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= ' ' && c != '\u007F')
            {
                continue;
            }
            // A line break is LF or CRLF; a lone CR is not.
            var allowed = multiline && (c is '\t' or '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'));
            if (!allowed)
            {
                return $"U+{(int)c:X4}";
            }
        }
        return null;
    }
}
