using Interflow.Core.Paging;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// A walk by cursor as a Cosmos DB query: the items after the position, in creation order then id, one more than asked
/// (which says whether more follow), served by a (createdAt, id) composite index. No OFFSET, whose charge grows with
/// what it skips, and no COUNT.
/// </summary>
internal static class CosmosWalk
{
    /// <param name="where">The list's own condition, the partition key included.</param>
    public static QueryDefinition Query(PageRequest page, string where, IReadOnlyDictionary<string, object> parameters, bool newestFirst = true)
    {
        var (direction, beyond) = newestFirst ? ("DESC", "<") : ("ASC", ">");
        var condition = page.After is null ? "" : $" AND (c.createdAt {beyond} @afterAt OR (c.createdAt = @afterAt AND c.id {beyond} @afterId))";
        var query = CosmosCalls.Parameterize(
            new QueryDefinition($"SELECT TOP @walkTake * FROM c WHERE {where}{condition} ORDER BY c.createdAt {direction}, c.id {direction}"),
            parameters).WithParameter("@walkTake", page.PerPage + 1);
        return page.After is { } after
            ? query.WithParameter("@afterAt", StoredTime.Format(after.CreatedAt)).WithParameter("@afterId", after.Id)
            : query;
    }
}
