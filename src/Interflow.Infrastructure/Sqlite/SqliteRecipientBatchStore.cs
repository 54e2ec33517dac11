using Interflow.Core;
using Interflow.Core.Messages;
using Microsoft.Data.Sqlite;

namespace Interflow.Infrastructure.Sqlite;

/// <summary>A batch of sends' customers, chats and messages in one transaction: all of it, or (on a duplicate) none.</summary>
public sealed class SqliteRecipientBatchStore(SqliteDatabase database) : IRecipientBatchStore
{
    public Task<RecipientBatch> CreateAsync(RecipientBatch batch, CancellationToken cancellationToken) =>
        database.TransactionAsync(async connection =>
        {
            var customers = batch.NewCustomers.Select(c => c with { ETag = NewETag() }).ToArray();
            var chats = batch.NewChats.Select(c => c with { ETag = NewETag() }).ToArray();
            var messages = batch.NewMessages.Select(m => m with { ETag = NewETag() }).ToArray();
            try
            {
                foreach (var customer in customers)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = SqliteCustomerStore.InsertSql;
                    SqliteCustomerStore.Bind(command, customer);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                foreach (var chat in chats)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = SqliteChatStore.InsertSql;
                    SqliteChatStore.Bind(command, chat);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                foreach (var activity in batch.ReusedChats)
                {
                    await using var command = connection.CreateCommand();
                    // A blind write of the newest activity: it must not fail because the chat changed meanwhile.
                    command.CommandText = """
                        UPDATE chats SET last_message_at = max(coalesce(last_message_at, ''), $at), activity_at = max(activity_at, $at),
                            updated_at = $at, etag = $etag
                        WHERE tenant = $tenant AND id = $id
                        """;
                    command.Parameters.AddWithValue("$at", SqliteDatabase.Time(activity.LastMessageAt));
                    command.Parameters.AddWithValue("$etag", NewETag());
                    command.Parameters.AddWithValue("$tenant", batch.Tenant.Key);
                    command.Parameters.AddWithValue("$id", activity.ChatId);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                foreach (var message in messages)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = SqliteMessageStore.InsertSql;
                    SqliteMessageStore.Bind(command, message);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            catch (SqliteException exception) when (SqliteDatabase.IsUniqueViolation(exception))
            {
                // Leaving without a commit rolls the whole batch back.
                throw new DuplicateValueException(exception.Message.Contains("messages", StringComparison.Ordinal) ? "id"
                    : exception.Message.Contains("chats", StringComparison.Ordinal) ? "chat" : "phone");
            }
            return batch with { NewCustomers = customers, NewChats = chats, NewMessages = messages };
        }, cancellationToken);

    private static string NewETag() => Guid.NewGuid().ToString("N");
}
