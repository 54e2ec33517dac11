using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Messages;
using Interflow.Core.Paging;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>Messages as <see cref="StoredMessage"/> JSON, with the columns its lookups need.</summary>
public sealed class SqliteMessageStore(SqliteDatabase database) : IMessageStore
{

    internal const string InsertSql = """
        INSERT INTO messages (tenant, id, chat_id, channel_id, provider_message_id, created_at, updated_at, etag, body, outbox, outbox_pending)
        VALUES ($tenant, $id, $chat, $channel, $provider, $created, $updated, $etag, $body, $outbox, $pending)
        """;

    private const string ReplaceSql = """
        UPDATE messages SET provider_message_id = $provider, updated_at = $updated, etag = $etag, body = $body,
            outbox = $outbox, outbox_pending = $pending
        WHERE tenant = $tenant AND id = $id AND etag = $expected
        """;

    public async Task<Message> CreateAsync(Message message, CancellationToken cancellationToken)
    {
        var stored = message with { ETag = Guid.NewGuid().ToString("N") };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = InsertSql;
        Bind(command, stored);
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

    public async Task<Message?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(tenant, "id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken)).SingleOrDefault();

    public async Task<Message> ReplaceAsync(Message message, string expectedETag, CancellationToken cancellationToken)
    {
        var stored = message with { ETag = Guid.NewGuid().ToString("N") };
        int updated;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = ReplaceSql;
            Bind(command, stored);
            command.Parameters.AddWithValue("$expected", expectedETag);
            updated = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        if (updated == 1)
        {
            return stored;
        }
        throw await GetAsync(message.Tenant, message.Id, cancellationToken) is null ? new NotFoundException() : new VersionMismatchException();
    }

    public async Task<Message?> FindByProviderIdAsync(Tenant tenant, string channelId, string providerMessageId, CancellationToken cancellationToken) =>
        (await QueryAsync(tenant, "channel_id = $channel AND provider_message_id = $provider", c =>
        {
            c.Parameters.AddWithValue("$channel", channelId);
            c.Parameters.AddWithValue("$provider", providerMessageId);
        }, cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<Message>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await QueryAsync(tenant, "id IN ", c => SqliteDatabase.InList(c, "$id", ids), cancellationToken);

    public async Task<IReadOnlyList<Message>> FindByProviderIdsAsync(
        Tenant tenant, string channelId, IReadOnlyCollection<string> providerMessageIds, CancellationToken cancellationToken) =>
        providerMessageIds.Count == 0 ? [] : await QueryAsync(tenant, "channel_id = $channel AND provider_message_id IN ", c =>
        {
            c.Parameters.AddWithValue("$channel", channelId);
            return SqliteDatabase.InList(c, "$provider", providerMessageIds);
        }, cancellationToken);

    public Task<IReadOnlyList<Message?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<Message>> writes, CancellationToken cancellationToken) =>
        database.TransactionAsync<IReadOnlyList<Message?>>(async connection =>
        {
            var saved = new Message?[writes.Count];
            for (var i = 0; i < writes.Count; i++)
            {
                var stored = writes[i].Record with { ETag = Guid.NewGuid().ToString("N") };
                await using var command = connection.CreateCommand();
                command.CommandText = ReplaceSql;
                Bind(command, stored);
                command.Parameters.AddWithValue("$expected", writes[i].ExpectedETag);
                saved[i] = await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? stored : null;
            }
            return saved;
        }, cancellationToken);

    public async Task<Page<Message>> ListByChatAsync(Tenant tenant, string chatId, bool newestFirst, PageRequest page, CancellationToken cancellationToken)
    {
        if (page.ByCursor)
        {
            var walk = SqliteWalk.Of(page, newestFirst);
            var walked = await QueryAsync(tenant, $"chat_id = $chat AND {walk.Condition} {walk.OrderAndLimit}", c =>
            {
                c.Parameters.AddWithValue("$chat", chatId);
                walk.Bind(c);
            }, cancellationToken);
            return Page<Message>.Walked(walked, page, m => new ListPosition(m.CreatedAt, m.Id));
        }
        var order = newestFirst ? "DESC" : "ASC";
        var items = await QueryAsync(tenant, $"chat_id = $chat ORDER BY created_at {order}, id {order} LIMIT $take OFFSET $skip", c =>
        {
            c.Parameters.AddWithValue("$chat", chatId);
            c.Parameters.AddWithValue("$take", page.PerPage);
            c.Parameters.AddWithValue("$skip", page.Skip);
        }, cancellationToken);
        var total = await database.CountAsync("SELECT COUNT(*) FROM messages WHERE tenant = $tenant AND chat_id = $chat", c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            c.Parameters.AddWithValue("$chat", chatId);
        }, cancellationToken);
        return new Page<Message>(items, total);
    }

    private Task<List<Message>> QueryAsync(Tenant tenant, string condition, Action<SqliteCommand> parameters, CancellationToken cancellationToken) =>
        QueryAsync(tenant, condition, c =>
        {
            parameters(c);
            return "";
        }, cancellationToken);

    /// <param name="parameters">Binds the condition's parameters and answers any SQL to append to it (an <c>IN</c> list).</param>
    private Task<List<Message>> QueryAsync(Tenant tenant, string condition, Func<SqliteCommand, string> parameters, CancellationToken cancellationToken) =>
        database.QueryAsync(c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            return $"SELECT body, etag, outbox FROM messages WHERE tenant = $tenant AND {condition}{parameters(c)}";
        }, reader => StoredJson.Deserialize<StoredMessage>(reader.GetString(0)).ToMessage(tenant, reader.GetString(1))
            with { Outbox = StoredJson.Events(reader.GetString(2)) }, cancellationToken);

    internal static void Bind(SqliteCommand command, Message message)
    {
        command.Parameters.AddWithValue("$tenant", message.Tenant.Key);
        command.Parameters.AddWithValue("$id", message.Id);
        command.Parameters.AddWithValue("$chat", message.ChatId);
        command.Parameters.AddWithValue("$channel", message.ChannelId);
        command.Parameters.AddWithValue("$provider", (object?)message.ProviderMessageId ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(message.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteDatabase.Time(message.UpdatedAt));
        command.Parameters.AddWithValue("$etag", message.ETag);
        // The outbox has its own column (the relay clears it alone); the body carries everything else.
        command.Parameters.AddWithValue("$body", StoredJson.Serialize(StoredMessage.From(message with { Outbox = [] })));
        command.Parameters.AddWithValue("$outbox", StoredJson.Serialize(message.Outbox));
        command.Parameters.AddWithValue("$pending", message.Outbox.Count > 0 ? 1 : 0);
    }
}
