using Interflow.Core.Accounts;
using Interflow.Core.Events;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteEventLog(SqliteDatabase database) : IEventLog
{
    public async Task AppendAsync(Tenant tenant, DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO events (tenant, id, type, created_at, data) VALUES ($tenant, $id, $type, $created, $data)";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", domainEvent.Id);
        command.Parameters.AddWithValue("$type", domainEvent.Type);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(domainEvent.CreatedAt));
        command.Parameters.AddWithValue("$data", domainEvent.Data.GetRawText());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DomainEvent?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(tenant, "id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<DomainEvent>> ListAsync(Tenant tenant, int max, CancellationToken cancellationToken) =>
        QueryAsync(tenant, "1 = 1 ORDER BY seq LIMIT $max", c => c.Parameters.AddWithValue("$max", max), cancellationToken);

    private async Task<IReadOnlyList<DomainEvent>> QueryAsync(Tenant tenant, string condition, Action<Microsoft.Data.Sqlite.SqliteCommand> parameters, CancellationToken cancellationToken) =>
        await database.QueryAsync($"SELECT id, type, created_at, data FROM events WHERE tenant = $tenant AND {condition}", c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            parameters(c);
        }, reader => new DomainEvent(reader.GetString(0), reader.GetString(1), SqliteDatabase.Time(reader.GetString(2)),
            StoredJson.Deserialize<System.Text.Json.JsonElement>(reader.GetString(3))), cancellationToken);
}
