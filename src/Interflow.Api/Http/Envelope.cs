using System.Text.Json.Serialization;

namespace Interflow.Api.Http;

/// <summary><c>meta</c> of a list's page, as the contract has it.</summary>
public sealed record PageMeta(int Page, int PerPage, long Total);

/// <summary><c>meta</c> of a page of a walk by cursor: no page number, and no total (counting is what a walk saves).</summary>
/// <param name="NextCursor">The cursor of the next page; null after the last item.</param>
public sealed record CursorMeta(int PerPage, string? NextCursor);

/// <param name="Meta">A <see cref="PageMeta"/> or a <see cref="CursorMeta"/>, on lists only.</param>
public sealed record SuccessEnvelope(
    bool Success,
    object? Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Meta);

public sealed record ErrorDetail(string Field, string Message);

public sealed record ErrorBody(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ErrorDetail>? Details);

public sealed record ErrorEnvelope(bool Success, ErrorBody Error);
