using Interflow.Core.Idempotency;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteIdempotencyStore(SqliteDatabase database, TimeProvider clock) : IIdempotencyStore
{
    private const string Columns = "id, fingerprint, locked_until, expires_at, status_code, response_body, response_etag, etag";

    public async Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT OR IGNORE INTO idempotency ({Columns}) VALUES ($id, $fingerprint, $locked, $expires, NULL, NULL, NULL, $etag)";
        Bind(command, claim with { ETag = NewETag() });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            // What TTL does in Cosmos: drop the records whose 24 hours are over.
            command.Parameters.Clear();
            command.CommandText = "DELETE FROM idempotency WHERE expires_at < $now";
            command.Parameters.AddWithValue("$now", SqliteDatabase.Time(clock.GetUtcNow()));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }
        command.Parameters.Clear();
        command.CommandText = $"SELECT {Columns} FROM idempotency WHERE id = $id";
        command.Parameters.AddWithValue("$id", claim.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new IdempotencyRecord(
            reader.GetString(0), reader.GetString(1), SqliteDatabase.Time(reader.GetString(2)),
            SqliteDatabase.Time(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetString(7));
    }

    public async Task<bool> TryTakeOverAsync(IdempotencyRecord claim, string expectedETag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE idempotency SET fingerprint = $fingerprint, locked_until = $locked, expires_at = $expires,
                status_code = NULL, response_body = NULL, response_etag = NULL, etag = $etag
            WHERE id = $id AND etag = $expected
            """;
        Bind(command, claim with { ETag = NewETag() });
        command.Parameters.AddWithValue("$expected", expectedETag);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task CompleteAsync(IdempotencyRecord completed, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT OR REPLACE INTO idempotency ({Columns}) VALUES ($id, $fingerprint, $locked, $expires, $status, $body, $response_etag, $etag)";
        Bind(command, completed with { ETag = NewETag() });
        command.Parameters.AddWithValue("$status", completed.StatusCode);
        command.Parameters.AddWithValue("$body", (object?)completed.ResponseBody ?? DBNull.Value);
        command.Parameters.AddWithValue("$response_etag", (object?)completed.ResponseETag ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM idempotency WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static void Bind(SqliteCommand command, IdempotencyRecord record)
    {
        command.Parameters.AddWithValue("$id", record.Id);
        command.Parameters.AddWithValue("$fingerprint", record.Fingerprint);
        command.Parameters.AddWithValue("$locked", SqliteDatabase.Time(record.LockedUntil));
        command.Parameters.AddWithValue("$expires", SqliteDatabase.Time(record.ExpiresAt));
        command.Parameters.AddWithValue("$etag", record.ETag);
    }
}
