using Interflow.Core.RateLimiting;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteRateLimitStore(SqliteDatabase database, TimeProvider clock) : IRateLimitStore
{
    public async Task<long> IncrementAsync(string counterId, long amount, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO rate_limits (id, count, expires_at) VALUES ($id, $amount, $expires)
            ON CONFLICT (id) DO UPDATE SET count = count + $amount
            RETURNING count
            """;
        command.Parameters.AddWithValue("$id", counterId);
        command.Parameters.AddWithValue("$amount", amount);
        command.Parameters.AddWithValue("$expires", SqliteDatabase.Time(expiresAt));
        var count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
        if (count == amount)
        {
            // A new window began: drop the counters of windows that are over (what TTL does in Cosmos).
            command.Parameters.Clear();
            command.CommandText = "DELETE FROM rate_limits WHERE expires_at < $now";
            command.Parameters.AddWithValue("$now", SqliteDatabase.Time(clock.GetUtcNow()));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return count;
    }
}
