using System.Text.Json.Serialization;

namespace Interflow.Api.Http;

/// <summary><c>meta</c> of list responses.</summary>
public sealed record PageMeta(int Page, int PerPage, long Total);

public sealed record SuccessEnvelope(
    bool Success,
    object? Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PageMeta? Meta);

public sealed record ErrorDetail(string Field, string Message);

public sealed record ErrorBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ErrorDetail>? Details);

public sealed record ErrorEnvelope(bool Success, ErrorBody Error);
