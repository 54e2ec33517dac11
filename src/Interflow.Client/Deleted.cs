using System.Text.Json.Serialization;

namespace Interflow.Client;

/// <summary>The answer to a DELETE.</summary>
public sealed record Deleted(string Id, [property: JsonPropertyName("deleted")] bool IsDeleted) : ApiResource;
