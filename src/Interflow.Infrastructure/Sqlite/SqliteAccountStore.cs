using Interflow.Core.Accounts;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteAccountStore(SqliteDatabase database) : IAccountStore
{
    private const string KeyColumns = "id, account_id, environment, name, prefix, secret_hash, created_at, last_used_at, revoked_at, expires_at, restrictions, created_by";

    public async Task CreateAccountAsync(Account account, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO accounts (id, name, plan, created_at) VALUES ($id, $name, $plan, $created)";
        command.Parameters.AddWithValue("$id", account.Id);
        command.Parameters.AddWithValue("$name", account.Name);
        command.Parameters.AddWithValue("$plan", account.Plan.ToName());
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(account.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<Account?> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, plan, created_at FROM accounts WHERE id = $id";
        command.Parameters.AddWithValue("$id", accountId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new Account(reader.GetString(0), reader.GetString(1), Plans.Parse(reader.GetString(2)), SqliteDatabase.Time(reader.GetString(3)));
    }

    public async Task<bool> AnyAccountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM accounts)";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) == 1;
    }

    public Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        WriteKeyAsync("INSERT INTO", key, cancellationToken);

    public Task SaveKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        WriteKeyAsync("INSERT OR REPLACE INTO", key, cancellationToken);

    public async Task<ApiKey?> FindKeyByHashAsync(string secretHash, CancellationToken cancellationToken)
    {
        var keys = await QueryKeysAsync("secret_hash = $value", secretHash, cancellationToken);
        return keys.SingleOrDefault();
    }

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string accountId, CancellationToken cancellationToken) =>
        QueryKeysAsync("account_id = $value", accountId, cancellationToken);

    private async Task WriteKeyAsync(string insert, ApiKey key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{insert} api_keys ({KeyColumns}) VALUES ($id, $account, $env, $name, $prefix, $hash, $created, $used, $revoked, $expires, $restrictions, $by)";
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$account", key.AccountId);
        command.Parameters.AddWithValue("$env", key.Environment.ToName());
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$prefix", key.Prefix);
        command.Parameters.AddWithValue("$hash", key.SecretHash);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(key.CreatedAt));
        command.Parameters.AddWithValue("$used", key.LastUsedAt is { } used ? SqliteDatabase.Time(used) : DBNull.Value);
        command.Parameters.AddWithValue("$revoked", key.RevokedAt is { } revoked ? SqliteDatabase.Time(revoked) : DBNull.Value);
        command.Parameters.AddWithValue("$expires", key.ExpiresAt is { } expires ? SqliteDatabase.Time(expires) : DBNull.Value);
        command.Parameters.AddWithValue("$restrictions", key.Restrictions?.ToJson() ?? (object)DBNull.Value);
        command.Parameters.AddWithValue("$by", key.CreatedBy ?? (object)DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendKeyActivityAsync(KeyActivity activity, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO key_activity (account_id, id, at, body) VALUES ($account, $id, $at, $body)";
        command.Parameters.AddWithValue("$account", activity.AccountId);
        command.Parameters.AddWithValue("$id", activity.Id);
        command.Parameters.AddWithValue("$at", SqliteDatabase.Time(activity.At));
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(activity));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<KeyActivity>> ListKeyActivityAsync(string accountId, int max, CancellationToken cancellationToken) =>
        await database.QueryAsync("SELECT body FROM key_activity WHERE account_id = $account ORDER BY at DESC, id DESC LIMIT $max",
            c =>
            {
                c.Parameters.AddWithValue("$account", accountId);
                c.Parameters.AddWithValue("$max", max);
            },
            reader => StoredJson.Deserialize<KeyActivity>(reader.GetString(0)), cancellationToken);

    private async Task<IReadOnlyList<ApiKey>> QueryKeysAsync(string where, string value, CancellationToken cancellationToken) =>
        await database.QueryAsync($"SELECT {KeyColumns} FROM api_keys WHERE {where} ORDER BY created_at", c => c.Parameters.AddWithValue("$value", value),
            reader => new ApiKey(
                reader.GetString(0), reader.GetString(1), ApiEnvironmentNames.Parse(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), SqliteDatabase.Time(reader.GetString(6)),
                SqliteDatabase.NullableTime(reader.GetValue(7)), SqliteDatabase.NullableTime(reader.GetValue(8)),
                SqliteDatabase.NullableTime(reader.GetValue(9)), reader.IsDBNull(10) ? null : KeyRestrictions.FromJson(reader.GetString(10)),
                reader.IsDBNull(11) ? null : reader.GetString(11)), cancellationToken);
}
