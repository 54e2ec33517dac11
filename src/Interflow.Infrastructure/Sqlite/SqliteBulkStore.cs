using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>Bulk jobs (JSON with an outbox column) and their chunks (counts as columns, recipients as JSON).</summary>
public sealed class SqliteBulkStore(SqliteDatabase database) : IBulkStore
{
    public async Task<BulkJob> CreateAsync(BulkJob job, IReadOnlyList<BulkChunk> chunks, CancellationToken cancellationToken)
    {
        var stored = job with { ETag = NewETag() };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO bulk_jobs (tenant, id, updated_at, etag, body, outbox, outbox_pending) VALUES ($tenant, $id, $updated, $etag, $body, $outbox, $pending)";
            BindJob(command, stored);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO bulk_chunks (tenant, job_id, idx, etag, done, sent, failed, cancelled, recipients) VALUES ($tenant, $job, $idx, $etag, 0, 0, 0, 0, $recipients)";
            var idx = command.Parameters.Add("$idx", SqliteType.Integer);
            var etag = command.Parameters.Add("$etag", SqliteType.Text);
            var recipients = command.Parameters.Add("$recipients", SqliteType.Text);
            command.Parameters.AddWithValue("$tenant", job.Tenant.Key);
            command.Parameters.AddWithValue("$job", job.Id);
            foreach (var chunk in chunks)
            {
                idx.Value = chunk.Index;
                etag.Value = NewETag();
                recipients.Value = StoredJson.Serialize(chunk.Recipients);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public async Task<BulkJob?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body, etag, outbox FROM bulk_jobs WHERE tenant = $tenant AND id = $id";
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? StoredJson.Deserialize<BulkJob>(reader.GetString(0)) with { ETag = reader.GetString(1), Outbox = StoredJson.Events(reader.GetString(2)) }
            : null;
    }

    public async Task<BulkJob> ReplaceAsync(BulkJob job, string expectedETag, CancellationToken cancellationToken)
    {
        var stored = job with { ETag = NewETag() };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE bulk_jobs SET updated_at = $updated, etag = $etag, body = $body, outbox = $outbox, outbox_pending = $pending
            WHERE tenant = $tenant AND id = $id AND etag = $expected
            """;
        BindJob(command, stored);
        command.Parameters.AddWithValue("$expected", expectedETag);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? stored : throw new VersionMismatchException();
    }

    public async Task<BulkChunk?> GetChunkAsync(Tenant tenant, string jobId, int index, CancellationToken cancellationToken) =>
        (await QueryChunksAsync(tenant, jobId, "AND idx = $idx", withRecipients: true, c => c.Parameters.AddWithValue("$idx", index), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<BulkChunk>> ListChunkCountsAsync(Tenant tenant, string jobId, CancellationToken cancellationToken) =>
        QueryChunksAsync(tenant, jobId, "ORDER BY idx", withRecipients: false, _ => { }, cancellationToken);

    public async Task<BulkChunk> ReplaceChunkAsync(Tenant tenant, BulkChunk chunk, string expectedETag, CancellationToken cancellationToken)
    {
        var stored = chunk with { ETag = NewETag() };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE bulk_chunks SET etag = $etag, done = $done, sent = $sent, failed = $failed, cancelled = $cancelled
            WHERE tenant = $tenant AND job_id = $job AND idx = $idx AND etag = $expected
            """;
        command.Parameters.AddWithValue("$tenant", tenant.Key);
        command.Parameters.AddWithValue("$job", chunk.JobId);
        command.Parameters.AddWithValue("$idx", chunk.Index);
        command.Parameters.AddWithValue("$etag", stored.ETag);
        command.Parameters.AddWithValue("$done", chunk.Done ? 1 : 0);
        command.Parameters.AddWithValue("$sent", chunk.Sent);
        command.Parameters.AddWithValue("$failed", chunk.Failed);
        command.Parameters.AddWithValue("$cancelled", chunk.Cancelled);
        command.Parameters.AddWithValue("$expected", expectedETag);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? stored : throw new VersionMismatchException();
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static void BindJob(SqliteCommand command, BulkJob job)
    {
        command.Parameters.AddWithValue("$tenant", job.Tenant.Key);
        command.Parameters.AddWithValue("$id", job.Id);
        command.Parameters.AddWithValue("$updated", SqliteDatabase.Time(job.UpdatedAt));
        command.Parameters.AddWithValue("$etag", job.ETag);
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(job with { Outbox = [] }));
        command.Parameters.AddWithValue("$outbox", StoredJson.Serialize(job.Outbox));
        command.Parameters.AddWithValue("$pending", job.Outbox.Count > 0 ? 1 : 0);
    }

    private async Task<IReadOnlyList<BulkChunk>> QueryChunksAsync(
        Tenant tenant, string jobId, string condition, bool withRecipients, Action<SqliteCommand> parameters, CancellationToken cancellationToken) =>
        await database.QueryAsync(
            $"SELECT idx, done, sent, failed, cancelled, etag, {(withRecipients ? "recipients" : "'[]'")} FROM bulk_chunks WHERE tenant = $tenant AND job_id = $job {condition}",
            c =>
            {
                c.Parameters.AddWithValue("$tenant", tenant.Key);
                c.Parameters.AddWithValue("$job", jobId);
                parameters(c);
            },
            reader => new BulkChunk(jobId, reader.GetInt32(0), StoredJson.Deserialize<BulkRecipient[]>(reader.GetString(6)), reader.GetInt32(1) == 1,
                reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetString(5)),
            cancellationToken);
}
