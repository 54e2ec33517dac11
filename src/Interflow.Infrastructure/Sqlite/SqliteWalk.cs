using Interflow.Core.Paging;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>
/// A walk by cursor in SQL: the rows after the position, in creation order then id, one more than asked (which says
/// whether more follow). Each list's (tenant, …, created_at, id) index serves it: no OFFSET to skip, no COUNT.
/// </summary>
/// <param name="Condition">To AND with the list's own condition.</param>
/// <param name="OrderAndLimit">To end the query with.</param>
internal sealed record SqliteWalk(string Condition, string OrderAndLimit, Action<SqliteCommand> Bind)
{
    public static SqliteWalk Of(PageRequest page, bool newestFirst = true)
    {
        var (direction, beyond) = newestFirst ? ("DESC", "<") : ("ASC", ">");
        var after = page.After;
        return new SqliteWalk(
            after is null ? "1 = 1" : $"(created_at {beyond} $afterAt OR (created_at = $afterAt AND id {beyond} $afterId))",
            $"ORDER BY created_at {direction}, id {direction} LIMIT $walkTake",
            command =>
            {
                command.Parameters.AddWithValue("$walkTake", page.PerPage + 1);
                if (after is not null)
                {
                    command.Parameters.AddWithValue("$afterAt", SqliteDatabase.Time(after.CreatedAt));
                    command.Parameters.AddWithValue("$afterId", after.Id);
                }
            });
    }
}
