using Interflow.Infrastructure.Sqlite;

namespace Interflow.Infrastructure.Tests;

/// <summary>The contract on the embedded store, always.</summary>
public sealed class SqliteStoreTests : MessagingStoreContract
{
    protected override string? Unavailable => null;

    protected override Task<StoreSet> CreateStoresAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"interflow-contract-{Guid.NewGuid():N}.db");
        var database = new SqliteDatabase(path);
        return Task.FromResult(new StoreSet(
            new SqliteAccountStore(database),
            new SqliteCustomerStore(database),
            new SqliteIdempotencyStore(database, TimeProvider.System),
            new SqliteRateLimitStore(database, TimeProvider.System),
            new SqliteChannelStore(database),
            new SqliteChatStore(database),
            new SqliteMessageStore(database),
            new SqliteEventLog(database),
            new SqliteOutbox(database, "chats", Core.Chats.ChatCommands.Kind),
            new SqliteWebhookStores(database),
            new SqliteWebhookStores(database),
            new SqliteBulkStore(database),
            () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }
                return ValueTask.CompletedTask;
            }));
    }

    [Fact]
    public async Task A_fresh_store_has_no_accounts()
    {
        Assert.False(await Stores.Accounts.AnyAccountAsync(default));
    }
}
