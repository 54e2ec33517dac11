using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteEventLog(SqliteDatabase database) : IEventLog
{
    public Task<IReadOnlyList<DomainEvent>> AppendAsync(Tenant tenant, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken) =>
        database.TransactionAsync<IReadOnlyList<DomainEvent>>(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO events (tenant, id, type, created_at, data) VALUES ($tenant, $id, $type, $created, $data)";
            command.Parameters.AddWithValue("$tenant", tenant.Key);
            var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Text);
            var type = command.Parameters.Add("$type", Microsoft.Data.Sqlite.SqliteType.Text);
            var created = command.Parameters.Add("$created", Microsoft.Data.Sqlite.SqliteType.Text);
            var data = command.Parameters.Add("$data", Microsoft.Data.Sqlite.SqliteType.Text);
            var added = new List<DomainEvent>(events.Count);
            foreach (var domainEvent in events)
            {
                id.Value = domainEvent.Id;
                type.Value = domainEvent.Type;
                created.Value = SqliteDatabase.Time(domainEvent.CreatedAt);
                data.Value = domainEvent.Data.GetRawText();
                if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    added.Add(domainEvent);
                }
            }
            return added;
        }, cancellationToken);

    public async Task<DomainEvent?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(tenant, "id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<DomainEvent>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await QueryAsync(tenant, c => "id IN " + SqliteDatabase.InList(c, "$id", ids), cancellationToken);

    public Task<IReadOnlyList<DomainEvent>> ListAsync(Tenant tenant, int max, CancellationToken cancellationToken) =>
        QueryAsync(tenant, "1 = 1 ORDER BY seq LIMIT $max", c => c.Parameters.AddWithValue("$max", max), cancellationToken);

    private Task<IReadOnlyList<DomainEvent>> QueryAsync(Tenant tenant, string condition, Action<Microsoft.Data.Sqlite.SqliteCommand> parameters, CancellationToken cancellationToken) =>
        QueryAsync(tenant, c =>
        {
            parameters(c);
            return condition;
        }, cancellationToken);

    private async Task<IReadOnlyList<DomainEvent>> QueryAsync(Tenant tenant, Func<Microsoft.Data.Sqlite.SqliteCommand, string> condition, CancellationToken cancellationToken) =>
        await database.QueryAsync(c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            return $"SELECT id, type, created_at, data FROM events WHERE tenant = $tenant AND {condition(c)}";
        }, reader => new DomainEvent(reader.GetString(0), reader.GetString(1), SqliteDatabase.Time(reader.GetString(2)),
            StoredJson.Deserialize<System.Text.Json.JsonElement>(reader.GetString(3))), cancellationToken);
}
