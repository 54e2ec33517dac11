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

    public async Task<IReadOnlyList<DomainEvent>> ListAsync(Tenant tenant, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, type, created_at, data FROM events WHERE tenant = $tenant ORDER BY seq LIMIT $max";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$max", max);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<DomainEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new DomainEvent(reader.GetString(0), reader.GetString(1), SqliteDatabase.Time(reader.GetString(2)),
                StoredJson.Deserialize<System.Text.Json.JsonElement>(reader.GetString(3))));
        }
        return events;
    }
}
