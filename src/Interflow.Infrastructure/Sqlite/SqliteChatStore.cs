using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Chats;
using Interflow.Core.Paging;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

public sealed class SqliteChatStore(SqliteDatabase database) : IChatStore
{
    private const string Columns =
        "tenant, id, channel_id, customer_id, status, last_message_at, activity_at, unread_count, created_at, updated_at, closed_at, etag, outbox, outbox_pending";


    internal const string InsertSql =
        $"INSERT INTO chats ({Columns}) VALUES ($tenant, $id, $channel, $customer, $status, $last, $activity, $unread, $created, $updated, $closed, $etag, $outbox, $pending)";

    public async Task<Chat> CreateAsync(Chat chat, CancellationToken cancellationToken)
    {
        var stored = chat with { ETag = Guid.NewGuid().ToString("N") };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = InsertSql;
        Bind(command, stored);
        await WriteAsync(command, cancellationToken);
        return stored;
    }

    public async Task<Chat?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(tenant, "id = $id", c => c.Parameters.AddWithValue("$id", id), cancellationToken)).SingleOrDefault();

    public async Task<Chat?> FindOpenAsync(Tenant tenant, string channelId, string customerId, CancellationToken cancellationToken) =>
        (await QueryAsync(tenant, "channel_id = $channel AND customer_id = $customer AND status = 'open'", c =>
        {
            c.Parameters.AddWithValue("$channel", channelId);
            c.Parameters.AddWithValue("$customer", customerId);
        }, cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Chat>> FindOpenManyAsync(Tenant tenant, string channelId, IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken) =>
        customerIds.Count == 0 ? [] : await QueryAsync(tenant, c =>
        {
            c.Parameters.AddWithValue("$channel", channelId);
            return $"channel_id = $channel AND status = 'open' AND customer_id IN {SqliteDatabase.InList(c, "$customer", customerIds)}";
        }, cancellationToken);

    public async Task<Chat> ReplaceAsync(Chat chat, string expectedETag, CancellationToken cancellationToken)
    {
        var stored = chat with { ETag = Guid.NewGuid().ToString("N") };
        int updated;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                UPDATE chats SET status = $status, last_message_at = $last, activity_at = $activity, unread_count = $unread,
                    updated_at = $updated, closed_at = $closed, etag = $etag, outbox = $outbox, outbox_pending = $pending
                WHERE tenant = $tenant AND id = $id AND etag = $expected
                """;
            Bind(command, stored);
            command.Parameters.AddWithValue("$expected", expectedETag);
            updated = await WriteAsync(command, cancellationToken);
        }
        if (updated == 1)
        {
            return stored;
        }
        throw await GetAsync(chat.Tenant, chat.Id, cancellationToken) is null ? new NotFoundException() : new VersionMismatchException();
    }

    public async Task<Page<Chat>> ListAsync(Tenant tenant, ChatFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        void Parameters(SqliteCommand c)
        {
            if (filter.Status is { } status)
            {
                c.Parameters.AddWithValue("$status", EnumNames.Name(status));
            }
            if (filter.ChannelId is { } channel)
            {
                c.Parameters.AddWithValue("$channel", channel);
            }
            if (filter.CustomerId is { } customer)
            {
                c.Parameters.AddWithValue("$customer", customer);
            }
            c.Parameters.AddWithValue("$take", page.PerPage);
            c.Parameters.AddWithValue("$skip", page.Skip);
        }
        if (filter.Status is not null)
        {
            where.Add("status = $status");
        }
        if (filter.ChannelId is not null)
        {
            where.Add("channel_id = $channel");
        }
        if (filter.CustomerId is not null)
        {
            where.Add("customer_id = $customer");
        }
        var condition = where.Count == 0 ? "1 = 1" : string.Join(" AND ", where);
        if (page.ByCursor)
        {
            // By creation, not by last activity: an order that moves while the list is walked would skip chats.
            var walk = SqliteWalk.Of(page);
            var walked = await QueryAsync(tenant, $"{condition} AND {walk.Condition} {walk.OrderAndLimit}", c =>
            {
                Parameters(c);
                walk.Bind(c);
            }, cancellationToken);
            return Page<Chat>.Walked(walked, page, c => new ListPosition(c.CreatedAt, c.Id));
        }
        var items = await QueryAsync(tenant, $"{condition} ORDER BY activity_at DESC, id DESC LIMIT $take OFFSET $skip", Parameters, cancellationToken);
        var total = await CountAsync(tenant, condition, Parameters, cancellationToken);
        return new Page<Chat>(items, total);
    }

    private Task<long> CountAsync(Tenant tenant, string condition, Action<SqliteCommand> parameters, CancellationToken cancellationToken) =>
        database.CountAsync($"SELECT COUNT(*) FROM chats WHERE tenant = $tenant AND {condition}", c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            parameters(c);
        }, cancellationToken);

    private Task<List<Chat>> QueryAsync(Tenant tenant, string condition, Action<SqliteCommand> parameters, CancellationToken cancellationToken) =>
        QueryAsync(tenant, c =>
        {
            parameters(c);
            return condition;
        }, cancellationToken);

    /// <param name="condition">Binds its parameters and answers the condition (which may depend on them: an <c>IN</c> list).</param>
    private Task<List<Chat>> QueryAsync(Tenant tenant, Func<SqliteCommand, string> condition, CancellationToken cancellationToken) =>
        database.QueryAsync(c =>
        {
            c.Parameters.AddWithValue("$tenant", tenant.Key);
            return $"SELECT {Columns} FROM chats WHERE tenant = $tenant AND {condition(c)}";
        }, reader => new Chat(
            reader.GetString(1), tenant, reader.GetString(2), reader.GetString(3), EnumNames.Parse<ChatStatus>(reader.GetString(4)),
            SqliteDatabase.NullableTime(reader.GetValue(5)), reader.GetInt32(7), SqliteDatabase.Time(reader.GetString(8)),
            SqliteDatabase.Time(reader.GetString(9)), SqliteDatabase.NullableTime(reader.GetValue(10)),
            StoredJson.Events(reader.GetString(12)), reader.GetString(11)), cancellationToken);

    internal static async Task<int> WriteAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (SqliteDatabase.IsUniqueViolation(exception))
        {
            throw new DuplicateValueException("chat");
        }
    }

    internal static void Bind(SqliteCommand command, Chat chat)
    {
        command.Parameters.AddWithValue("$tenant", chat.Tenant.Key);
        command.Parameters.AddWithValue("$id", chat.Id);
        command.Parameters.AddWithValue("$channel", chat.ChannelId);
        command.Parameters.AddWithValue("$customer", chat.CustomerId);
        command.Parameters.AddWithValue("$status", EnumNames.Name(chat.Status));
        command.Parameters.AddWithValue("$last", chat.LastMessageAt is { } last ? SqliteDatabase.Time(last) : DBNull.Value);
        command.Parameters.AddWithValue("$activity", SqliteDatabase.Time(chat.ActivityAt));
        command.Parameters.AddWithValue("$unread", chat.UnreadCount);
        command.Parameters.AddWithValue("$created", SqliteDatabase.Time(chat.CreatedAt));
        command.Parameters.AddWithValue("$updated", SqliteDatabase.Time(chat.UpdatedAt));
        command.Parameters.AddWithValue("$closed", chat.ClosedAt is { } closed ? SqliteDatabase.Time(closed) : DBNull.Value);
        command.Parameters.AddWithValue("$etag", chat.ETag);
        command.Parameters.AddWithValue("$outbox", StoredJson.Serialize(chat.Outbox));
        command.Parameters.AddWithValue("$pending", chat.Outbox.Count > 0 ? 1 : 0);
    }
}
