using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Messages;
using Interflow.Core.Paging;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// Messages partitioned by tenant: GET by id is a point read, a chat's history a single-partition query. (A tenant's
/// logical partition holds 20 GB; past that volume the key moves to a hierarchical one, tenant then chat.)
/// </summary>
public sealed class CosmosMessageStore(CosmosContainers containers) : IMessageStore
{

    private Container Container => containers.Messages;


    public async Task<Message> CreateAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CosmosCalls.RunAsync(() => Container.CreateItemAsync(
                StoredMessage.From(message), new PartitionKey(message.Tenant.Key), cancellationToken: cancellationToken));
            return message with { ETag = response.ETag };
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DuplicateValueException("id");
        }
    }

    public async Task<Message?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<StoredMessage>(Container, id, new PartitionKey(tenant.Key), cancellationToken);
        return response?.Resource.ToMessage(tenant, response.ETag);
    }

    public async Task<Message> ReplaceAsync(Message message, string expectedETag, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReplaceAsync(
            Container, StoredMessage.From(message), message.Id, new PartitionKey(message.Tenant.Key), expectedETag, cancellationToken);
        return message with { ETag = response.ETag };
    }

    public async Task<Message?> FindByProviderIdAsync(Tenant tenant, string channelId, string providerMessageId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND c.channelId = @channel AND c.providerMessageId = @provider")
            .WithParameter("@tenant", tenant.Key).WithParameter("@channel", channelId).WithParameter("@provider", providerMessageId);
        return (await QueryAsync(tenant, query, cancellationToken)).FirstOrDefault();
    }

    /// <summary>One ReadMany of point reads.</summary>
    public async Task<IReadOnlyList<Message>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var partition = new PartitionKey(tenant.Key);
        var response = await CosmosCalls.RunAsync(() => Container.ReadManyItemsAsync<JsonObject>([.. ids.Select(id => (id, partition))], cancellationToken: cancellationToken));
        return [.. response.Select(item => ToMessage(tenant, item))];
    }

    public async Task<IReadOnlyList<Message>> FindByProviderIdsAsync(
        Tenant tenant, string channelId, IReadOnlyCollection<string> providerMessageIds, CancellationToken cancellationToken)
    {
        if (providerMessageIds.Count == 0)
        {
            return [];
        }
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND c.channelId = @channel AND ARRAY_CONTAINS(@providers, c.providerMessageId)")
            .WithParameter("@tenant", tenant.Key).WithParameter("@channel", channelId).WithParameter("@providers", providerMessageIds.ToArray());
        return await QueryAsync(tenant, query, cancellationToken);
    }

    /// <summary>Transactional batches of replaces, each conditional on its ETag; a single one, or a batch a precondition failed, is done one by one.</summary>
    public async Task<IReadOnlyList<Message?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<Message>> writes, CancellationToken cancellationToken)
    {
        var saved = new Message?[writes.Count];
        foreach (var tenant in writes.Select((write, index) => (write, index)).GroupBy(w => w.write.Record.Tenant.Key))
        {
            await CosmosCalls.InBatchesAsync(Container, new PartitionKey(tenant.Key), [.. tenant],
                (batch, w) => batch.ReplaceItem(w.write.Record.Id, StoredMessage.From(w.write.Record), new TransactionalBatchItemRequestOptions { IfMatchEtag = w.write.ExpectedETag }),
                (w, etag) => saved[w.index] = w.write.Record with { ETag = etag },
                async w =>
                {
                    try
                    {
                        saved[w.index] = await ReplaceAsync(w.write.Record, w.write.ExpectedETag, cancellationToken);
                    }
                    catch (Exception exception) when (exception is VersionMismatchException or NotFoundException)
                    {
                    }
                },
                CosmosCalls.OneByOneOn(HttpStatusCode.PreconditionFailed, HttpStatusCode.NotFound), cancellationToken);
        }
        return saved;
    }

    public async Task<Page<Message>> ListByChatAsync(Tenant tenant, string chatId, bool newestFirst, PageRequest page, CancellationToken cancellationToken)
    {
        if (page.ByCursor)
        {
            var walk = CosmosWalk.Query(page, "c.tenantId = @tenant AND c.chatId = @chat",
                new Dictionary<string, object> { ["@tenant"] = tenant.Key, ["@chat"] = chatId }, newestFirst);
            return Page<Message>.Walked(await QueryAsync(tenant, walk, cancellationToken), page, m => new ListPosition(m.CreatedAt, m.Id));
        }
        var order = newestFirst ? "DESC" : "ASC";
        var query = new QueryDefinition($"SELECT * FROM c WHERE c.tenantId = @tenant AND c.chatId = @chat ORDER BY c.createdAt {order}, c.id {order} OFFSET @skip LIMIT @take")
            .WithParameter("@tenant", tenant.Key).WithParameter("@chat", chatId).WithParameter("@skip", page.Skip).WithParameter("@take", page.PerPage);
        var count = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant AND c.chatId = @chat")
            .WithParameter("@tenant", tenant.Key).WithParameter("@chat", chatId);
        var items = await QueryAsync(tenant, query, cancellationToken);
        var total = (await CosmosCalls.QueryAsync<long>(Container, count, new QueryRequestOptions { PartitionKey = new PartitionKey(tenant.Key) }, cancellationToken)).Sum();
        return new Page<Message>(items, total);
    }

    private async Task<List<Message>> QueryAsync(Tenant tenant, QueryDefinition query, CancellationToken cancellationToken)
    {
        // Read as JSON to get each item's _etag next to the message fields.
        var items = await CosmosCalls.QueryAsync<JsonObject>(Container, query, new QueryRequestOptions { PartitionKey = new PartitionKey(tenant.Key) }, cancellationToken);
        return items.Select(item => ToMessage(tenant, item)).ToList();
    }

    private static Message ToMessage(Tenant tenant, JsonObject item) =>
        item.Deserialize<StoredMessage>(CosmosJsonSerializer.Options)!.ToMessage(tenant, item["_etag"]!.GetValue<string>());
}
