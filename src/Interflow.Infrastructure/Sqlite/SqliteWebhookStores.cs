using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Paging;
using Interflow.Core.Webhooks;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>Webhook endpoints and deliveries, each row the record's JSON plus the columns its lookups need.</summary>
public sealed class SqliteWebhookStores(SqliteDatabase database) : IWebhookEndpointStore, IWebhookDeliveryStore
{
    public Task<WebhookEndpoint> CreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        InsertAsync("webhook_endpoints", endpoint.Tenant, endpoint.Id, null, endpoint.CreatedAt, endpoint, e => e with { ETag = NewETag() }, cancellationToken);

    public Task<WebhookDelivery> CreateAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        InsertAsync("webhook_deliveries", delivery.Tenant, delivery.Id, delivery.EndpointId, delivery.CreatedAt, delivery, d => d with { ETag = NewETag() }, cancellationToken);

    async Task<WebhookEndpoint?> IWebhookEndpointStore.GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync<WebhookEndpoint>("webhook_endpoints", tenant, "id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken))
            .Select(r => r.Value with { ETag = r.ETag }).SingleOrDefault();

    async Task<WebhookDelivery?> IWebhookDeliveryStore.GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync<WebhookDelivery>("webhook_deliveries", tenant, "id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken))
            .Select(r => r.Value with { ETag = r.ETag }).SingleOrDefault();

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Tenant tenant, CancellationToken cancellationToken) =>
        (await QueryAsync<WebhookEndpoint>("webhook_endpoints", tenant, "1 = 1 ORDER BY created_at DESC, id DESC", _ => { }, cancellationToken))
            .Select(r => r.Value with { ETag = r.ETag }).ToArray();

    public async Task<Page<WebhookDelivery>> ListAsync(Tenant tenant, string endpointId, PageRequest page, CancellationToken cancellationToken)
    {
        if (page.ByCursor)
        {
            var walk = SqliteWalk.Of(page);
            var walked = await QueryAsync<WebhookDelivery>("webhook_deliveries", tenant, $"endpoint_id = $endpoint AND {walk.Condition} {walk.OrderAndLimit}", c =>
            {
                c.Parameters.AddWithValue("$endpoint", endpointId);
                walk.Bind(c);
            }, cancellationToken);
            return Page<WebhookDelivery>.Walked([.. walked.Select(r => r.Value with { ETag = r.ETag })], page, d => new ListPosition(d.CreatedAt, d.Id));
        }
        var rows = await QueryAsync<WebhookDelivery>("webhook_deliveries", tenant,
            "endpoint_id = $endpoint ORDER BY created_at DESC, id DESC LIMIT $take OFFSET $skip", c =>
            {
                c.Parameters.AddWithValue("$endpoint", endpointId);
                c.Parameters.AddWithValue("$take", page.PerPage);
                c.Parameters.AddWithValue("$skip", page.Skip);
            }, cancellationToken);
        var total = await database.CountAsync("SELECT COUNT(*) FROM webhook_deliveries WHERE tenant = $tenant AND endpoint_id = $endpoint", c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            c.Parameters.AddWithValue("$endpoint", endpointId);
        }, cancellationToken);
        return new Page<WebhookDelivery>(rows.Select(r => r.Value with { ETag = r.ETag }).ToArray(), total);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListWaitingAsync(Tenant tenant, string endpointId, int limit, CancellationToken cancellationToken) =>
        // The condition is the partial index's own, so that the index serves it.
        (await QueryAsync<WebhookDelivery>("webhook_deliveries", tenant,
            "endpoint_id = $endpoint AND json_extract(body, '$.waiting') = 1 ORDER BY created_at, id LIMIT $take", c =>
            {
                c.Parameters.AddWithValue("$endpoint", endpointId);
                c.Parameters.AddWithValue("$take", limit);
            }, cancellationToken))
            .Select(r => r.Value with { ETag = r.ETag }).ToArray();

    public Task<WebhookEndpoint> ReplaceAsync(WebhookEndpoint endpoint, string expectedETag, CancellationToken cancellationToken) =>
        UpdateAsync("webhook_endpoints", endpoint.Tenant, endpoint.Id, endpoint with { ETag = NewETag() }, expectedETag, e => e.ETag, cancellationToken);

    public Task<WebhookDelivery> ReplaceAsync(WebhookDelivery delivery, string expectedETag, CancellationToken cancellationToken) =>
        UpdateAsync("webhook_deliveries", delivery.Tenant, delivery.Id, delivery with { ETag = NewETag() }, expectedETag, d => d.ETag, cancellationToken);

    public Task<IReadOnlyList<(WebhookDelivery Delivery, bool Created)>> CreateManyAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken) =>
        database.TransactionAsync<IReadOnlyList<(WebhookDelivery, bool)>>(async connection =>
        {
            var results = new List<(WebhookDelivery, bool)>(deliveries.Count);
            foreach (var delivery in deliveries)
            {
                var stored = delivery with { ETag = NewETag() };
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT OR IGNORE INTO webhook_deliveries (tenant, id, created_at, etag, body, endpoint_id) VALUES ($tenant, $id, $created, $etag, $body, $endpoint)";
                insert.Parameters.AddWithValue("$tenant", delivery.Tenant.Key);
                insert.Parameters.AddWithValue("$id", delivery.Id);
                insert.Parameters.AddWithValue("$created", SqliteDatabase.Time(delivery.CreatedAt));
                insert.Parameters.AddWithValue("$etag", stored.ETag);
                insert.Parameters.AddWithValue("$body", StoredJson.Serialize(stored));
                insert.Parameters.AddWithValue("$endpoint", delivery.EndpointId);
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    results.Add((stored, true));
                    continue;
                }
                await using var existing = connection.CreateCommand();
                existing.CommandText = "SELECT body, etag FROM webhook_deliveries WHERE tenant = $tenant AND id = $id";
                existing.Parameters.AddWithValue("$tenant", delivery.Tenant.Key);
                existing.Parameters.AddWithValue("$id", delivery.Id);
                await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                results.Add((StoredJson.Deserialize<WebhookDelivery>(reader.GetString(0)) with { ETag = reader.GetString(1) }, false));
            }
            return results;
        }, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<WebhookDelivery>> writes, CancellationToken cancellationToken) =>
        database.TransactionAsync<IReadOnlyList<WebhookDelivery?>>(async connection =>
        {
            var saved = new WebhookDelivery?[writes.Count];
            for (var i = 0; i < writes.Count; i++)
            {
                var stored = writes[i].Record with { ETag = NewETag() };
                await using var command = connection.CreateCommand();
                command.CommandText = "UPDATE webhook_deliveries SET etag = $etag, body = $body WHERE tenant = $tenant AND id = $id AND etag = $expected";
                command.Parameters.AddWithValue("$tenant", stored.Tenant.Key);
                command.Parameters.AddWithValue("$id", stored.Id);
                command.Parameters.AddWithValue("$etag", stored.ETag);
                command.Parameters.AddWithValue("$body", StoredJson.Serialize(stored));
                command.Parameters.AddWithValue("$expected", writes[i].ExpectedETag);
                saved[i] = await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? stored : null;
            }
            return saved;
        }, cancellationToken);

    public async Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM webhook_endpoints WHERE tenant = $tenant AND id = $id";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private async Task<T> InsertAsync<T>(string table, Tenant tenant, string id, string? endpointId, DateTimeOffset createdAt, T record, Func<T, T> stamp, CancellationToken cancellationToken)
    {
        var stored = stamp(record);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var endpointColumn = endpointId is null ? "" : ", endpoint_id";
        var endpointValue = endpointId is null ? "" : ", $endpoint";
        command.CommandText = $"INSERT INTO {table} (tenant, id, created_at, etag, body{endpointColumn}) VALUES ($tenant, $id, $created, $etag, $body{endpointValue})";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(createdAt));
        command.Parameters.AddWithValue("$etag", ETagOf(stored));
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(stored));
        if (endpointId is not null)
        {
            command.Parameters.AddWithValue("$endpoint", endpointId);
        }
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (SqliteDatabase.IsUniqueViolation(exception))
        {
            throw new DuplicateValueException("id");
        }
        return stored;
    }

    private async Task<T> UpdateAsync<T>(string table, Tenant tenant, string id, T stored, string expectedETag, Func<T, string> etagOf, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE {table} SET etag = $etag, body = $body WHERE tenant = $tenant AND id = $id AND etag = $expected";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$etag", etagOf(stored));
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(stored));
        command.Parameters.AddWithValue("$expected", expectedETag);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return stored;
        }
        command.Parameters.Clear();
        command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE tenant = $tenant AND id = $id";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        throw Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 0 ? new NotFoundException() : new VersionMismatchException();
    }

    private static string ETagOf<T>(T record) => record switch
    {
        WebhookEndpoint e => e.ETag,
        WebhookDelivery d => d.ETag,
        _ => throw new ArgumentOutOfRangeException(nameof(record)),
    };

    private Task<List<(T Value, string ETag)>> QueryAsync<T>(string table, Tenant tenant, string condition, Action<SqliteCommand> parameters, CancellationToken cancellationToken) =>
        database.QueryAsync($"SELECT body, etag FROM {table} WHERE tenant = $tenant AND {condition}", c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            parameters(c);
        }, reader => (StoredJson.Deserialize<T>(reader.GetString(0)), reader.GetString(1)), cancellationToken);
}
