using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Interflow.Core.Events;

namespace Interflow.Infrastructure;

/// <summary>JSON of values stores keep as text (outboxes, content, events), the same in every engine.</summary>
public static class StoredJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    public static IReadOnlyList<DomainEvent> Events(string json) => Deserialize<DomainEvent[]>(json);
}
