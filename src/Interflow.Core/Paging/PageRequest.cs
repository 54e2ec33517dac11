namespace Interflow.Core.Paging;

public sealed record PageRequest(int Page, int PerPage)
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    public int Skip => (Page - 1) * PerPage;
}

/// <param name="Total">Every item matching the filter, not only this page's.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total);
