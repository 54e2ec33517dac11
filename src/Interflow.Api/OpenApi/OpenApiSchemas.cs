using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using Interflow.Api.Http;
using Interflow.Core.Webhooks;

namespace Interflow.Api.OpenApi;

/// <summary>
/// A document's component schemas, generated from the request and view types on first use: the exporter's schema of
/// each type, written with the API's own JSON options (so names and formats are the wire's), refined with what it
/// cannot know from the type alone: required fields, bounds, enums and shapes from the attributes, descriptions, and
/// that no other field is accepted.
/// </summary>
internal sealed class OpenApiSchemas
{
    // Numbers are documented as numbers (the web defaults would also allow "5"), and nullability is the code's own.
    private static readonly JsonSerializerOptions SchemaOptions = new(ApiJson.Options)
    {
        RespectNullableAnnotations = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private readonly SortedDictionary<string, JsonNode> schemas = new(StringComparer.Ordinal);

    public static JsonObject Ref(string section, string name) => new() { ["$ref"] = $"#/components/{section}/{name}" };

    /// <summary>The type's schema under its own name.</summary>
    public void Add(Type type) => schemas[type.Name] = Schema(type);

    /// <summary>A schema written out, under a name of its own.</summary>
    public void Add(string name, JsonNode schema) => schemas[name] = schema;

    /// <summary>Every schema so far, by name, as <c>components.schemas</c>.</summary>
    public JsonObject Components() => new([.. schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]);

    /// <summary>A reference to the type's component schema, which is generated on first use.</summary>
    public JsonObject Reference(Type type)
    {
        if (type == typeof(JsonElement))
        {
            return new JsonObject { ["type"] = "object" };
        }
        if (!schemas.ContainsKey(type.Name))
        {
            schemas[type.Name] = new JsonObject();
            schemas[type.Name] = Schema(type);
        }
        return Ref("schemas", type.Name);
    }

    private JsonNode Schema(Type type) =>
        SchemaOptions.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Refine,
        });

    /// <summary>What the exporter cannot know: required fields, bounds, enums and shapes from the attributes, descriptions, and that no other field is accepted.</summary>
    private JsonNode Refine(JsonSchemaExporterContext context, JsonNode node)
    {
        var nullable = Nullable.GetUnderlyingType(context.TypeInfo.Type);
        var valueType = nullable ?? context.TypeInfo.Type;
        JsonNode Typed(string type) => nullable is null ? type : new JsonArray(type, "null");
        if (valueType == typeof(DateTimeOffset))
        {
            // Written by the API's own converter, which the exporter cannot see through.
            node = new JsonObject { ["type"] = Typed("string"), ["format"] = "date-time" };
        }
        else if (valueType == typeof(JsonElement) && context.PropertyInfo is not null)
        {
            // A message's content and metadata: objects kept as sent.
            node = new JsonObject { ["type"] = Typed("object") };
        }
        if (node is JsonObject objectSchema && context.TypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object
            && context.TypeInfo.Type.Namespace?.StartsWith("Interflow", StringComparison.Ordinal) == true)
        {
            RefineObject(context, objectSchema);
        }
        if (context.PropertyInfo is { } property)
        {
            var member = property.AttributeProvider;
            T? Attribute<T>() where T : Attribute => member?.GetCustomAttributes(typeof(T), true).OfType<T>().FirstOrDefault();
            if (Attribute<OneOfAttribute>() is { } oneOf)
            {
                JsonArray choices = [.. oneOf.Types.Select(t => (JsonNode)Reference(t))];
                if (Nullable.GetUnderlyingType(property.PropertyType) is not null)
                {
                    choices.Add(new JsonObject { ["type"] = "null" });
                }
                node = new JsonObject { ["oneOf"] = choices };
            }
            if (node is not JsonObject schema)
            {
                return node;
            }
            if (Attribute<ScalarValuesAttribute>() is { } scalars)
            {
                schema["additionalProperties"] = new JsonObject { ["type"] = scalars.Nullable ? new JsonArray("string", "number", "boolean", "null") : new JsonArray("string", "number", "boolean") };
            }
            var kind = Kind(schema);
            Bound(schema, kind, Attribute<LengthAttribute>()?.MinimumLength, Attribute<LengthAttribute>()?.MaximumLength);
            Bound(schema, kind, Attribute<MinLengthAttribute>()?.Length, Attribute<MaxLengthAttribute>()?.Length);
            Bound(schema, kind, Attribute<StringLengthAttribute>()?.MinimumLength, Attribute<StringLengthAttribute>()?.MaximumLength);
            if (Attribute<RangeAttribute>() is { } range)
            {
                schema["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                schema["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
            }
            if (Attribute<RegularExpressionAttribute>() is { } pattern)
            {
                schema["pattern"] = pattern.Pattern;
            }
            if (Attribute<UrlAttribute>() is not null)
            {
                schema["format"] = "uri";
            }
            var allowed = Attribute<AllowedValuesAttribute>()?.Values.Select(v => v?.ToString()) ?? (Attribute<EnumOfAttribute>() is { } of ? WireNames(of.EnumType) : null);
            if (allowed is not null)
            {
                schema["enum"] = new JsonArray([.. allowed.Select(v => (JsonNode?)v), .. AllowsNull(schema) ? [null] : Array.Empty<JsonNode?>()]);
            }
            if (Attribute<ItemsAttribute>() is { } items && schema["items"] is JsonObject item)
            {
                Bound(item, "string", items.MinLength >= 0 ? items.MinLength : null, items.MaxLength >= 0 ? items.MaxLength : null);
            }
            if (Attribute<EventTypeAttribute>() is { } events)
            {
                var target = schema["items"] as JsonObject ?? schema;
                string[] others = [.. events.OrEvery ? ["*"] : Array.Empty<string>(), .. events.OrTest ? [WebhookCommands.TestEventType] : Array.Empty<string>()];
                target["enum"] = new JsonArray([.. others.Concat(Core.Events.EventTypes.All).Select(v => (JsonNode)v)]);
            }
            if (Attribute<DescriptionAttribute>() is { } description)
            {
                schema["description"] = description.Description;
            }
            return schema;
        }
        return node;
    }

    /// <summary>An object of ours: its required fields, that no other field is accepted, its description and its alternatives.</summary>
    private static void RefineObject(JsonSchemaExporterContext context, JsonObject objectSchema)
    {
        var type = context.TypeInfo.Type;
        // A view always writes every field (null included); a body's required fields are marked so.
        var required = context.TypeInfo.Properties
            .Where(p => IsView(type) || p.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true)
            .Select(p => p.Name).ToList();
        objectSchema.Remove("required");
        if (required.Count > 0)
        {
            objectSchema["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }
        objectSchema["additionalProperties"] = false;
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            objectSchema["description"] = description.Description;
        }
        var alternatives = type.GetCustomAttributes<RequiresOneOfAttribute>().ToArray();
        foreach (var oneOf in alternatives)
        {
            objectSchema[oneOf.ExactlyOne ? "oneOf" : "anyOf"] = new JsonArray([.. oneOf.Fields.Select(f => (JsonNode)new JsonObject { ["required"] = new JsonArray(f) })]);
        }
    }

    /// <summary>Responses are views (and the page meta and error details): records the API writes whole.</summary>
    private static bool IsView(Type type) =>
        type.Name.EndsWith("View", StringComparison.Ordinal) || type == typeof(PageMeta) || type == typeof(CursorMeta) || type == typeof(ErrorDetail) || type == typeof(Core.Messages.MessageError);

    private static string Kind(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") ?? "null",
        _ => "",
    };

    private static bool AllowsNull(JsonObject schema) => schema["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() == "null");

    private static void Bound(JsonObject schema, string kind, int? min, int? max)
    {
        var (minimum, maximum) = kind switch
        {
            "array" => ("minItems", "maxItems"),
            "object" => ("minProperties", "maxProperties"),
            _ => ("minLength", "maxLength"),
        };
        if (min is > 0)
        {
            schema[minimum] = min;
        }
        if (max is >= 0)
        {
            schema[maximum] = max;
        }
    }

    /// <summary>An enum's values as the API writes them: the snake_case of each name, unless the member names its own.</summary>
    private static IEnumerable<string> WireNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f =>
            f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name));
}
