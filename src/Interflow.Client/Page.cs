namespace Interflow.Client;

/// <summary>
/// One page of a list: by number (with <see cref="PageNumber"/> and the list's <see cref="Total"/>), or of a walk by
/// cursor (with <see cref="NextCursor"/>, and neither of those).
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int? PageNumber, int PerPage, int? Total, string? NextCursor) : ApiResource
{
    public bool HasMore => NextCursor is not null || PageNumber * PerPage < Total;
}
