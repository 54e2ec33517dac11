using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// The database's containers. Each name and partition key here is declared again in <c>infra/</c>; a test keeps
/// the two in step.
/// </summary>
public sealed class CosmosContainers(CosmosClient client, string databaseName)
{
    /// <summary>Accounts, partitioned by <c>/id</c>: only point reads.</summary>
    public const string AccountsName = "accounts";

    /// <summary>API keys, <c>id</c> = SHA-256 of the secret and partition key <c>/id</c>: authentication is one point read.</summary>
    public const string ApiKeysName = "apiKeys";

    /// <summary>Customers, partitioned by <c>/tenantId</c> (account + environment): lists are single-partition queries; unique keys on <c>/emailKey</c> and <c>/phoneKey</c>.</summary>
    public const string CustomersName = "customers";

    /// <summary>Channels, partitioned by <c>/id</c>: the provider's inbound webhook names a channel, not a tenant, so lookups by id are point reads.</summary>
    public const string ChannelsName = "channels";

    /// <summary>Chats, partitioned by <c>/tenantId</c>; unique key <c>/openKey</c> allows one open chat per customer and channel.</summary>
    public const string ChatsName = "chats";

    /// <summary>Messages, partitioned by <c>/tenantId</c>.</summary>
    public const string MessagesName = "messages";

    /// <summary>The event log, partitioned by <c>/tenantId</c>.</summary>
    public const string EventsName = "events";

    /// <summary>Webhook endpoints, partitioned by <c>/tenantId</c>: the fan-out reads a tenant's few endpoints in one query.</summary>
    public const string WebhooksName = "webhooks";

    /// <summary>Webhook deliveries and their attempts, partitioned by <c>/tenantId</c>.</summary>
    public const string WebhookDeliveriesName = "webhookDeliveries";

    /// <summary>Bulk jobs and their chunks, partitioned by <c>/tenantId</c>.</summary>
    public const string BulkName = "bulk";

    /// <summary>Idempotency records, partitioned by <c>/id</c>, expiring by per-item TTL (24 h).</summary>
    public const string IdempotencyName = "idempotency";

    /// <summary>Rate-limit counters, partitioned by <c>/id</c> (tenant + window), expiring by per-item TTL.</summary>
    public const string RateLimitsName = "rateLimits";

    /// <summary>The changes to each account's keys, partitioned by <c>/accountId</c>.</summary>
    public const string KeyActivityName = "keyActivity";

    /// <summary>Console members, partitioned by <c>/accountId</c>; unique key <c>/identityKey</c> (issuer and subject) within an account.</summary>
    public const string MembersName = "members";

    /// <summary>Console sessions and sign-in links, partitioned by <c>/id</c> (the hash of their token), expiring by per-item TTL.</summary>
    public const string ConsoleSessionsName = "consoleSessions";

    // A list's order and a walk by cursor: by creation, then id.
    private const string NewestFirst = "createdAt DESC, id DESC";

    /// <summary>Every container: what <see cref="EnsureCreatedAsync"/> creates locally and infra/main.bicep declares in Azure.</summary>
    public static IReadOnlyList<ContainerDefinition> Definitions { get; } =
    [
        new(AccountsName, "/id"),
        new(ApiKeysName, "/id"),
        new(CustomersName, "/tenantId", UniqueKeys: ["/emailKey", "/phoneKey"], Orders: [NewestFirst]),
        new(ChannelsName, "/id", Orders: [NewestFirst]),
        new(ChatsName, "/tenantId", UniqueKeys: ["/openKey"], Orders: ["activityAt DESC, id DESC", NewestFirst]),
        new(MessagesName, "/tenantId", Orders: ["createdAt ASC, id ASC", NewestFirst]),
        new(EventsName, "/tenantId"),
        new(WebhooksName, "/tenantId"),
        new(WebhookDeliveriesName, "/tenantId", Orders: [NewestFirst]),
        new(BulkName, "/tenantId"),
        new(IdempotencyName, "/id", PerItemTtl: true),
        new(RateLimitsName, "/id", PerItemTtl: true),
        new(KeyActivityName, "/accountId"),
        new(MembersName, "/accountId", UniqueKeys: ["/identityKey"]),
        new(ConsoleSessionsName, "/id", PerItemTtl: true),
    ];

    public Container Accounts { get; } = client.GetContainer(databaseName, AccountsName);

    public Container ApiKeys { get; } = client.GetContainer(databaseName, ApiKeysName);

    public Container Customers { get; } = client.GetContainer(databaseName, CustomersName);

    public Container Channels { get; } = client.GetContainer(databaseName, ChannelsName);

    public Container Chats { get; } = client.GetContainer(databaseName, ChatsName);

    public Container Messages { get; } = client.GetContainer(databaseName, MessagesName);

    public Container Events { get; } = client.GetContainer(databaseName, EventsName);

    public Container Webhooks { get; } = client.GetContainer(databaseName, WebhooksName);

    public Container WebhookDeliveries { get; } = client.GetContainer(databaseName, WebhookDeliveriesName);

    public Container Bulk { get; } = client.GetContainer(databaseName, BulkName);

    public Container Idempotency { get; } = client.GetContainer(databaseName, IdempotencyName);

    public Container RateLimits { get; } = client.GetContainer(databaseName, RateLimitsName);

    public Container KeyActivity { get; } = client.GetContainer(databaseName, KeyActivityName);

    public Container Members { get; } = client.GetContainer(databaseName, MembersName);

    public Container ConsoleSessions { get; } = client.GetContainer(databaseName, ConsoleSessionsName);

    /// <summary>
    /// Creates the database and containers when absent: for local runs and the emulator. In Azure they come from
    /// Bicep and the app's identity has data-plane rights only, so this is not called there.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var database = (await client.CreateDatabaseIfNotExistsAsync(databaseName, cancellationToken: cancellationToken)).Database;
        foreach (var definition in Definitions)
        {
            var properties = new ContainerProperties(definition.Name, definition.PartitionKey);
            if (definition.PerItemTtl)
            {
                properties.DefaultTimeToLive = -1;
            }
            foreach (var path in definition.UniqueKeys ?? [])
            {
                properties.UniqueKeyPolicy.UniqueKeys.Add(new UniqueKey { Paths = { path } });
            }
            foreach (var order in definition.Orders ?? [])
            {
                properties.IndexingPolicy.CompositeIndexes.Add(new System.Collections.ObjectModel.Collection<CompositePath>(
                    [.. order.Split(", ").Select(part => part.Split(' ')).Select(p => new CompositePath
                    {
                        Path = "/" + p[0],
                        Order = p[1] == "DESC" ? CompositePathSortOrder.Descending : CompositePathSortOrder.Ascending,
                    })]));
            }
            await database.CreateContainerIfNotExistsAsync(properties, cancellationToken: cancellationToken);
        }
    }
}

/// <param name="PerItemTtl">TTL on with no default: each item says when it expires.</param>
/// <param name="Orders">
/// The orders its queries sort by on more than one property (<c>createdAt DESC, id DESC</c>), each a composite index:
/// Cosmos DB refuses such an ORDER BY without one.
/// </param>
public sealed record ContainerDefinition(
    string Name, string PartitionKey, IReadOnlyList<string>? UniqueKeys = null, bool PerItemTtl = false, IReadOnlyList<string>? Orders = null);
