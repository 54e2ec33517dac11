using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>
/// The outbox columns every SQLite table of an event-producing resource has: <c>outbox</c> (JSON events) and
/// <c>outbox_pending</c> (indexed, so the sweep finds leftovers without a scan).
/// </summary>
public sealed class SqliteOutbox(SqliteDatabase database, string table, string kind) : IOutboxSource
{
    public string Kind => kind;

    public async Task<IReadOnlyList<OutboxEntry>> FindPendingAsync(DateTimeOffset writtenBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT tenant, id, etag, outbox FROM {table} WHERE outbox_pending = 1 AND updated_at < $before LIMIT $max";
        command.Parameters.AddWithValue("$before", SqliteDatabase.Time(writtenBefore));
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<OutboxEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new OutboxEntry(kind, ParseTenant(reader.GetString(0)), reader.GetString(1), reader.GetString(2), StoredJson.Events(reader.GetString(3))));
        }
        return entries;
    }

    public Task ClearAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken) =>
        database.TransactionAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            // Keeps the record's ETag: clearing the outbox is not a change a caller's If-Match should notice.
            command.CommandText = $"UPDATE {table} SET outbox = '[]', outbox_pending = 0 WHERE tenant = $tenant AND id = $id AND etag = $etag";
            var tenant = command.Parameters.Add("$tenant", Microsoft.Data.Sqlite.SqliteType.Text);
            var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var etag = command.Parameters.Add("$etag", Microsoft.Data.Sqlite.SqliteType.Text);
            foreach (var entry in entries)
            {
                tenant.Value = entry.Tenant.Key;
                id.Value = entry.ResourceId;
                etag.Value = entry.ETag;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return true;
        }, cancellationToken);

    public static Tenant ParseTenant(string key)
    {
        var separator = key.LastIndexOf(':');
        return new Tenant(key[..separator], ApiEnvironmentNames.Parse(key[(separator + 1)..]));
    }
}
