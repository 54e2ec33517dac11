using Interflow.Infrastructure.Cosmos;

namespace Interflow.Infrastructure.Tests;

/// <summary>
/// The contract on Cosmos DB, when <c>INTERFLOW_COSMOS_ENDPOINT</c> and <c>INTERFLOW_COSMOS_KEY</c> name one (the
/// emulator in the GitHub workflow). Each run uses a database of its own and deletes it afterwards.
/// <c>INTERFLOW_COSMOS_EMULATOR=true</c> accepts a self-signed certificate in gateway mode;
/// <c>INTERFLOW_COSMOS_STANDIN=true</c> marks the partial npm stand-in, whose unfaithful features are skipped.
/// </summary>
public sealed class CosmosStoreTests : ConsoleStoreContract
{
    private static readonly string? Endpoint = Environment.GetEnvironmentVariable("INTERFLOW_COSMOS_ENDPOINT");
    private static readonly string? Key = Environment.GetEnvironmentVariable("INTERFLOW_COSMOS_KEY");
    private static readonly bool Emulator = Environment.GetEnvironmentVariable("INTERFLOW_COSMOS_EMULATOR") == "true";
    private static readonly bool StandIn = Environment.GetEnvironmentVariable("INTERFLOW_COSMOS_STANDIN") == "true";

    protected override string? Unavailable => string.IsNullOrEmpty(Endpoint) || string.IsNullOrEmpty(Key)
        ? "Cosmos DB not configured: set INTERFLOW_COSMOS_ENDPOINT and INTERFLOW_COSMOS_KEY (no faithful emulator runs on these machines)"
        : null;

    // The npm stand-in answers 500 for a missing item and cannot parse OFFSET/LIMIT (see ENVIRONMENT.md).
    protected override string? Lacks(string feature) => StandIn ? $"the Cosmos stand-in does not support {feature}" : null;

    protected override async Task<StoreSet> CreateStoresAsync()
    {
        var client = CosmosClientFactory.Create(Endpoint!, Key, Emulator);
        var databaseName = $"interflow-contract-{Guid.NewGuid():N}";
        var containers = new CosmosContainers(client, databaseName);
        await containers.EnsureCreatedAsync(default);
        return new StoreSet(
            new CosmosAccountStore(containers),
            new CosmosCustomerStore(containers),
            new CosmosIdempotencyStore(containers, TimeProvider.System),
            new CosmosRateLimitStore(containers, TimeProvider.System),
            new CosmosChannelStore(containers),
            new CosmosChatStore(containers),
            new CosmosMessageStore(containers),
            new CosmosEventLog(containers),
            new CosmosOutbox(containers.Chats, Core.Chats.ChatCommands.Kind),
            new CosmosWebhookStores(containers),
            new CosmosWebhookStores(containers),
            new CosmosBulkStore(containers),
            new CosmosRecipientBatchStore(containers),
            new CosmosMemberStore(containers),
            new CosmosConsoleSessionStore(containers, TimeProvider.System),
            async () =>
            {
                await client.GetDatabase(databaseName).DeleteAsync();
                client.Dispose();
            });
    }
}
