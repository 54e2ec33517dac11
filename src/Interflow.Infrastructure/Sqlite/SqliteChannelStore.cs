using Interflow.Core.Accounts;
using Interflow.Core.Channels;
using Interflow.Core.Paging;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteChannelStore(SqliteDatabase database) : IChannelStore
{
    private const string Columns = "id, tenant, kind, name, whatsapp, messages_per_second, created_at";

    public async Task CreateAsync(Channel channel, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO channels ({Columns}) VALUES ($id, $tenant, $kind, $name, $whatsapp, $mps, $created)";
        command.Parameters.AddWithValue("$id", channel.Id);
        command.Parameters.AddWithValue("$tenant", channel.Tenant.Key);
        command.Parameters.AddWithValue("$kind", channel.Kind.ToName());
        command.Parameters.AddWithValue("$name", channel.Name);
        command.Parameters.AddWithValue("$whatsapp", channel.WhatsApp is null ? DBNull.Value : StoredJson.Serialize(channel.WhatsApp));
        command.Parameters.AddWithValue("$mps", channel.MessagesPerSecond);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(channel.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Channel?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } channel && channel.Tenant == tenant ? channel : null;

    public async Task<Channel?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM channels WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<Page<Channel>> ListAsync(Tenant tenant, PageRequest page, CancellationToken cancellationToken)
    {
        if (page.ByCursor)
        {
            var walk = SqliteWalk.Of(page);
            var walked = await database.QueryAsync($"SELECT {Columns} FROM channels WHERE tenant = $tenant AND {walk.Condition} {walk.OrderAndLimit}", c =>
            {
                c.Parameters.AddWithValue("$tenant", tenant.Key);
                walk.Bind(c);
            }, Read, cancellationToken);
            return Page<Channel>.Walked(walked, page, c => new ListPosition(c.CreatedAt, c.Id));
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns}, (SELECT COUNT(*) FROM channels WHERE tenant = $tenant) FROM channels WHERE tenant = $tenant
            ORDER BY created_at DESC, id DESC LIMIT $take OFFSET $skip
            """;
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$take", page.PerPage);
        command.Parameters.AddWithValue("$skip", page.Skip);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<Channel>();
        long total = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader));
            total = reader.GetInt64(7);
        }
        return new Page<Channel>(items, total);
    }

    private static Channel Read(SqliteDataReader reader) => new(
        reader.GetString(0), SqliteOutbox.ParseTenant(reader.GetString(1)), ChannelKinds.Parse(reader.GetString(2)), reader.GetString(3),
        reader.IsDBNull(4) ? null : StoredJson.Deserialize<WhatsAppCredentials>(reader.GetString(4)),
        reader.GetInt32(5), SqliteDatabase.Time(reader.GetString(6)));
}
