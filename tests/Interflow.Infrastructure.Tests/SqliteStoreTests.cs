using System.Text.Json;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Chats;
using Interflow.Core.Customers;
using Interflow.Core.Messages;
using Interflow.Infrastructure.Sqlite;

namespace Interflow.Infrastructure.Tests;

/// <summary>The contract on the embedded store, always.</summary>
public sealed class SqliteStoreTests : ConsoleStoreContract
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
            new SqliteRecipientBatchStore(database),
            new SqliteMemberStore(database),
            new SqliteConsoleSessionStore(database, TimeProvider.System),
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

    [Fact]
    public async Task A_recipient_batch_is_one_transaction_a_duplicate_met_last_leaves_nothing_of_it()
    {
        var tenant = new Tenant(Ids.New("acc"), ApiEnvironment.Live);
        var at = new DateTimeOffset(2026, 7, 1, 8, 0, 0, TimeSpan.Zero);
        Message Held(string chat, string customer, string? id = null) => new(
            id ?? Ids.New("msg"), tenant, "ch_1", chat, customer, MessageDirection.Outbound, "5511944440001", MessageType.Text,
            JsonSerializer.SerializeToElement(new { text = "Oi" }), null, MessageStatus.Queued, null, null, at, at, null, null, null, null, 0, at, []);
        var existing = await Stores.Messages.CreateAsync(Held("chat_0", "cust_0"), default);
        var customer = new Customer(Ids.New("cust"), tenant, "+5511944440001", null, "5511944440001", [], new Dictionary<string, JsonElement>(), at, at, []);
        var chat = new Chat(Ids.New("chat"), tenant, "ch_1", customer.Id, ChatStatus.Open, at, 0, at, at, null, []);

        await Assert.ThrowsAsync<DuplicateValueException>(() => Stores.RecipientBatches.CreateAsync(
            new RecipientBatch(tenant, [customer], [chat], [], [Held(chat.Id, customer.Id), Held(chat.Id, customer.Id, existing.Id)]), default));

        Assert.Null(await Stores.Customers.GetAsync(tenant, customer.Id, default));
        Assert.Null(await Stores.Chats.GetAsync(tenant, chat.Id, default));
    }
}
