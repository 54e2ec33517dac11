namespace Interflow.Core.Paging;

/// <summary>
/// Which part of a list: a page by number (the contract's <c>page</c>/<c>per_page</c>), or, in a walk by cursor, the
/// <see cref="PerPage"/> items after a position. A walk follows an order that never changes (creation time, then id,
/// whatever the list's page order) and counts nothing, so an item that exists for the whole walk is returned exactly
/// once, whatever is added or deleted meanwhile.
/// </summary>
public sealed record PageRequest(int Page, int PerPage)
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    /// <summary>A walk by cursor: no page number, no total.</summary>
    public bool ByCursor { get; init; }

    /// <summary>In a walk, the last item already returned; null for the walk's first page.</summary>
    public ListPosition? After { get; init; }

    public int Skip => (Page - 1) * PerPage;

    public static PageRequest Walk(int perPage, ListPosition? after) => new(1, perPage) { ByCursor = true, After = after };
}

/// <summary>Where an item stands in a walk: its creation time, and its id to break ties.</summary>
public sealed record ListPosition(DateTimeOffset CreatedAt, string Id);

/// <param name="Total">Every item matching the filter, not only this page's; null in a walk, which does not count.</param>
/// <param name="Next">In a walk, the position to continue after when more items follow; null after the last.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, long? Total, ListPosition? Next = null)
{
    /// <summary>A walk's page from what the store fetched: one item more than asked says that more follow.</summary>
    public static Page<T> Walked(IReadOnlyList<T> fetched, PageRequest page, Func<T, ListPosition> position) =>
        fetched.Count > page.PerPage
            ? new Page<T>([.. fetched.Take(page.PerPage)], null, position(fetched[page.PerPage - 1]))
            : new Page<T>(fetched, null);
}
