namespace Interflow.Client;

/// <summary>One page of a list, with the list's total (<c>meta</c> of the envelope).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PerPage, int Total)
{
    public bool HasMore => PageNumber * PerPage < Total;
}
