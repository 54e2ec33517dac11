using Interflow.Core;
using Interflow.Core.Accounts;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteMemberStore(SqliteDatabase database) : IMemberStore
{
    public async Task CreateAsync(Member member, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO members (account_id, id, issuer, subject, created_at, body) VALUES ($account, $id, $issuer, $subject, $created, $body)";
        command.Parameters.AddWithValue("$account", member.AccountId);
        command.Parameters.AddWithValue("$id", member.Id);
        command.Parameters.AddWithValue("$issuer", member.Issuer);
        command.Parameters.AddWithValue("$subject", member.Subject);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(member.CreatedAt));
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(member));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (SqliteDatabase.IsUniqueViolation(exception))
        {
            throw new ConflictException("subject");
        }
    }

    public async Task<Member?> GetAsync(string accountId, string memberId, CancellationToken cancellationToken) =>
        (await QueryAsync("account_id = $account AND id = $id", c =>
        {
            c.Parameters.AddWithValue("$account", accountId);
            c.Parameters.AddWithValue("$id", memberId);
        }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Member>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        QueryAsync("account_id = $account", c => c.Parameters.AddWithValue("$account", accountId), cancellationToken);

    public Task<IReadOnlyList<Member>> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken) =>
        QueryAsync("issuer = $issuer AND subject = $subject", c =>
        {
            c.Parameters.AddWithValue("$issuer", issuer);
            c.Parameters.AddWithValue("$subject", subject);
        }, cancellationToken);

    public async Task<bool> DeleteAsync(string accountId, string memberId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM members WHERE account_id = $account AND id = $id";
        command.Parameters.AddWithValue("$account", accountId);
        command.Parameters.AddWithValue("$id", memberId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<IReadOnlyList<Member>> QueryAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken) =>
        await database.QueryAsync($"SELECT body FROM members WHERE {where} ORDER BY created_at, id", bind,
            reader => StoredJson.Deserialize<Member>(reader.GetString(0)), cancellationToken);
}
