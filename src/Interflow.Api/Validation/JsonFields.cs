using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Validation;

namespace Interflow.Api.Validation;

/// <summary>
/// Reads the fields of one JSON object, recording every problem (wrong type, bounds, unknown field) under its JSON
/// path instead of stopping at the first, so that one response lists them all.
/// </summary>
public sealed class JsonFields
{
    private readonly JsonElement value;
    private readonly FieldErrors errors;
    private readonly string prefix;
    private readonly HashSet<string> known = [];

    private JsonFields(JsonElement value, FieldErrors errors, string prefix)
    {
        this.value = value;
        this.errors = errors;
        this.prefix = prefix;
    }

    public bool IsObject => value.ValueKind == JsonValueKind.Object;

    /// <param name="prefix">The object's own path, empty for the request body.</param>
    public static JsonFields Of(JsonElement value, FieldErrors errors, string prefix = "")
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix.Length == 0 ? "body" : prefix, FieldProblem.MustBeObject);
        }
        return new JsonFields(value, errors, prefix);
    }

    public string Path(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>The field as sent, null JSON included; unset when absent.</summary>
    public Optional<JsonElement> Get(string name)
    {
        known.Add(name);
        return IsObject && value.TryGetProperty(name, out var field) ? Optional<JsonElement>.Of(field) : Optional<JsonElement>.Unset;
    }

    public string? RequiredString(string name, int maxLength)
    {
        if (IsObject && !value.TryGetProperty(name, out _))
        {
            known.Add(name);
            errors.Add(Path(name), FieldProblem.Required);
            return null;
        }
        return String(name, maxLength, nullable: false).Value;
    }

    /// <summary>A trimmed, non-empty string of at most <paramref name="maxLength"/> characters.</summary>
    public Optional<string?> String(string name, int maxLength, bool nullable = true)
    {
        var field = Get(name);
        if (!field.IsSet)
        {
            return Optional<string?>.Unset;
        }
        if (field.Value.ValueKind == JsonValueKind.Null)
        {
            if (!nullable)
            {
                errors.Add(Path(name), FieldProblem.MustNotBeNull);
            }
            return Optional<string?>.Of(null);
        }
        var text = Text(field.Value, Path(name), maxLength);
        return text is null ? Optional<string?>.Unset : Optional<string?>.Of(text);
    }

    public Optional<IReadOnlyList<string>> StringList(string name, int maxItems, int itemMaxLength)
    {
        var field = Get(name);
        if (!field.IsSet)
        {
            return Optional<IReadOnlyList<string>>.Unset;
        }
        if (field.Value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Path(name), FieldProblem.MustBeArray);
            return Optional<IReadOnlyList<string>>.Unset;
        }
        if (field.Value.GetArrayLength() > maxItems)
        {
            errors.Add(Path(name), FieldProblem.TooManyItems, maxItems);
        }
        var items = new List<string>();
        var index = 0;
        foreach (var item in field.Value.EnumerateArray())
        {
            if (Text(item, $"{Path(name)}[{index++}]", itemMaxLength) is { } text && !items.Contains(text))
            {
                items.Add(text);
            }
        }
        return Optional<IReadOnlyList<string>>.Of(items);
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public Optional<double> Number(string name, double min, double max, bool required = false)
    {
        var field = Get(name);
        if (!field.IsSet)
        {
            if (required && IsObject)
            {
                errors.Add(Path(name), FieldProblem.Required);
            }
            return Optional<double>.Unset;
        }
        if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDouble(out var number))
        {
            errors.Add(Path(name), FieldProblem.MustBeNumber);
            return Optional<double>.Unset;
        }
        if (number < min || number > max)
        {
            errors.Add(Path(name), FieldProblem.OutOfRange, (min, max));
            return Optional<double>.Unset;
        }
        return Optional<double>.Of(number);
    }

    /// <summary>A nested object's reader, sharing this one's error list; null when the field is absent.</summary>
    public JsonFields? Object(string name, bool required = false)
    {
        var field = Get(name);
        if (!field.IsSet || field.Value.ValueKind == JsonValueKind.Null)
        {
            if (required && IsObject)
            {
                errors.Add(Path(name), FieldProblem.Required);
            }
            return null;
        }
        return Of(field.Value, errors, Path(name));
    }

    /// <summary>Every field the reader was not asked about is an error: a typo must not be silently ignored.</summary>
    public void RejectUnknown()
    {
        if (!IsObject)
        {
            return;
        }
        foreach (var property in value.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                errors.Add(Path(property.Name), FieldProblem.UnknownField);
            }
        }
    }

    public void Add(string name, FieldProblem problem, object? limit = null) => errors.Add(Path(name), problem, limit);

    private string? Text(JsonElement element, string path, int maxLength)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, FieldProblem.MustBeString);
            return null;
        }
        var text = element.GetString()!.Trim();
        if (text.Length == 0)
        {
            errors.Add(path, FieldProblem.TooShort, 1);
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add(path, FieldProblem.TooLong, maxLength);
            return null;
        }
        return text;
    }
}
