using Interflow.Core.Accounts;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>Sessions and sign-in links; expired rows are removed as new ones are written.</summary>
public sealed class SqliteConsoleSessionStore(SqliteDatabase database, TimeProvider clock) : IConsoleSessionStore
{
    public Task CreateSessionAsync(ConsoleSession session, CancellationToken cancellationToken) =>
        WriteAsync("INSERT INTO console_sessions (id, expires_at, body) VALUES ($id, $expires, $body); DELETE FROM console_sessions WHERE expires_at < $now",
            session.Id, session.ExpiresAt, StoredJson.Serialize(session), cancellationToken);

    public async Task<ConsoleSession?> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        (await database.QueryAsync("SELECT body FROM console_sessions WHERE id = $id", c => c.Parameters.AddWithValue("$id", id),
            reader => StoredJson.Deserialize<ConsoleSession>(reader.GetString(0)), cancellationToken)).SingleOrDefault();

    public Task SaveSessionAsync(ConsoleSession session, CancellationToken cancellationToken) =>
        WriteAsync("UPDATE console_sessions SET body = $body WHERE id = $id", session.Id, session.ExpiresAt, StoredJson.Serialize(session), cancellationToken);

    public Task DeleteSessionAsync(string id, CancellationToken cancellationToken) =>
        WriteAsync("DELETE FROM console_sessions WHERE id = $id", id, default, "", cancellationToken);

    public Task CreateSignInLinkAsync(SignInLink link, CancellationToken cancellationToken) =>
        WriteAsync("INSERT INTO sign_in_links (id, expires_at, body) VALUES ($id, $expires, $body); DELETE FROM sign_in_links WHERE expires_at < $now",
            link.Id, link.ExpiresAt, StoredJson.Serialize(link), cancellationToken);

    public async Task<SignInLink?> ConsumeSignInLinkAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement: of two requests with the same link, only one finds it unused.
        var used = await database.QueryAsync(
            "UPDATE sign_in_links SET used_at = $now WHERE id = $id AND used_at IS NULL AND expires_at > $now RETURNING body",
            c =>
            {
                c.Parameters.AddWithValue("$id", id);
                c.Parameters.AddWithValue("$now", SqliteDatabase.Time(now));
            },
            reader => StoredJson.Deserialize<SignInLink>(reader.GetString(0)), cancellationToken);
        return used.SingleOrDefault();
    }

    private async Task WriteAsync(string sql, string id, DateTimeOffset expiresAt, string body, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$expires", SqliteDatabase.Time(expiresAt));
        command.Parameters.AddWithValue("$body", body);
        command.Parameters.AddWithValue("$now", SqliteDatabase.Time(clock.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
