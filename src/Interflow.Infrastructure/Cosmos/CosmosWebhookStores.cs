using System.Net;
using System.Text.Json.Serialization;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Paging;
using Interflow.Core.Webhooks;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Webhook endpoints and deliveries: each document is the record under <c>body</c>, with the fields its queries need beside it.</summary>
public sealed class CosmosWebhookStores(CosmosContainers containers) : IWebhookEndpointStore, IWebhookDeliveryStore
{
    public async Task<WebhookEndpoint> CreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken) =>
        endpoint with { ETag = await CreateAsync(containers.Webhooks, new Document<WebhookEndpoint>(endpoint.Id, endpoint.Tenant.Key, null, StoredTime.Format(endpoint.CreatedAt), endpoint), endpoint.Tenant, cancellationToken) };

    public async Task<WebhookDelivery> CreateAsync(WebhookDelivery delivery, CancellationToken cancellationToken) =>
        delivery with { ETag = await CreateAsync(containers.WebhookDeliveries, DeliveryDocument(delivery), delivery.Tenant, cancellationToken) };

    async Task<WebhookEndpoint?> IWebhookEndpointStore.GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<Document<WebhookEndpoint>>(containers.Webhooks, id, new PartitionKey(tenant.Key), cancellationToken);
        return response is null ? null : response.Resource.Body with { ETag = response.ETag };
    }

    async Task<WebhookDelivery?> IWebhookDeliveryStore.GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<Document<WebhookDelivery>>(containers.WebhookDeliveries, id, new PartitionKey(tenant.Key), cancellationToken);
        return response is null ? null : response.Resource.Body with { ETag = response.ETag };
    }

    public async Task<IReadOnlyList<WebhookEndpoint>> ListAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant ORDER BY c.createdAt DESC").WithParameter("@tenant", tenant.Key);
        var docs = await CosmosCalls.QueryAsync<Document<WebhookEndpoint>>(containers.Webhooks, query, Options(tenant), cancellationToken);
        return docs.Select(d => d.Body with { ETag = d.ETag! }).ToArray();
    }

    public async Task<Page<WebhookDelivery>> ListAsync(Tenant tenant, string endpointId, PageRequest page, CancellationToken cancellationToken)
    {
        if (page.ByCursor)
        {
            var walk = CosmosWalk.Query(page, "c.tenantId = @tenant AND c.endpointId = @endpoint",
                new Dictionary<string, object> { ["@tenant"] = tenant.Key, ["@endpoint"] = endpointId });
            var walked = await CosmosCalls.QueryAsync<Document<WebhookDelivery>>(containers.WebhookDeliveries, walk, Options(tenant), cancellationToken);
            return Page<WebhookDelivery>.Walked([.. walked.Select(d => d.Body with { ETag = d.ETag! })], page, d => new ListPosition(d.CreatedAt, d.Id));
        }
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND c.endpointId = @endpoint ORDER BY c.createdAt DESC OFFSET @skip LIMIT @take")
            .WithParameter("@tenant", tenant.Key).WithParameter("@endpoint", endpointId).WithParameter("@skip", page.Skip).WithParameter("@take", page.PerPage);
        var count = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant AND c.endpointId = @endpoint")
            .WithParameter("@tenant", tenant.Key).WithParameter("@endpoint", endpointId);
        var docs = await CosmosCalls.QueryAsync<Document<WebhookDelivery>>(containers.WebhookDeliveries, query, Options(tenant), cancellationToken);
        var total = (await CosmosCalls.QueryAsync<long>(containers.WebhookDeliveries, count, Options(tenant), cancellationToken)).Sum();
        return new Page<WebhookDelivery>(docs.Select(d => d.Body with { ETag = d.ETag! }).ToArray(), total);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListWaitingAsync(Tenant tenant, string endpointId, int limit, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.tenantId = @tenant AND c.endpointId = @endpoint AND c.waiting = true ORDER BY c.createdAt ASC")
            .WithParameter("@tenant", tenant.Key).WithParameter("@endpoint", endpointId).WithParameter("@take", limit);
        var docs = await CosmosCalls.QueryAsync<Document<WebhookDelivery>>(containers.WebhookDeliveries, query, Options(tenant), cancellationToken);
        return docs.Select(d => d.Body with { ETag = d.ETag! }).ToArray();
    }

    public async Task<WebhookEndpoint> ReplaceAsync(WebhookEndpoint endpoint, string expectedETag, CancellationToken cancellationToken) =>
        endpoint with { ETag = await ReplaceAsync(containers.Webhooks, new Document<WebhookEndpoint>(endpoint.Id, endpoint.Tenant.Key, null, StoredTime.Format(endpoint.CreatedAt), endpoint with { ETag = "" }), endpoint.Tenant, expectedETag, cancellationToken) };

    public async Task<WebhookDelivery> ReplaceAsync(WebhookDelivery delivery, string expectedETag, CancellationToken cancellationToken) =>
        delivery with { ETag = await ReplaceAsync(containers.WebhookDeliveries, DeliveryDocument(delivery with { ETag = "" }), delivery.Tenant, expectedETag, cancellationToken) };

    /// <summary>Transactional batches of creates; a single one, or a batch holding a delivery that exists (a repeated fan-out), is created one by one.</summary>
    public async Task<IReadOnlyList<(WebhookDelivery Delivery, bool Created)>> CreateManyAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken)
    {
        var results = new List<(WebhookDelivery, bool)>(deliveries.Count);
        foreach (var tenant in deliveries.GroupBy(d => d.Tenant))
        {
            await CosmosCalls.InBatchesAsync(containers.WebhookDeliveries, new PartitionKey(tenant.Key.Key), [.. tenant],
                (batch, delivery) => batch.CreateItem(DeliveryDocument(delivery), new TransactionalBatchItemRequestOptions { EnableContentResponseOnWrite = false }),
                (delivery, etag) => results.Add((delivery with { ETag = etag }, true)),
                async delivery =>
                {
                    try
                    {
                        results.Add((await CreateAsync(delivery, cancellationToken), true));
                    }
                    catch (DuplicateValueException)
                    {
                        results.Add((await ((IWebhookDeliveryStore)this).GetAsync(tenant.Key, delivery.Id, cancellationToken) ?? delivery, false));
                    }
                },
                CosmosCalls.OneByOneOn(HttpStatusCode.Conflict), cancellationToken);
        }
        return results;
    }

    /// <summary>Transactional batches of conditional replaces; a single one, or a batch a precondition failed, is done one by one.</summary>
    public async Task<IReadOnlyList<WebhookDelivery?>> ReplaceManyAsync(IReadOnlyList<VersionedWrite<WebhookDelivery>> writes, CancellationToken cancellationToken)
    {
        var saved = new WebhookDelivery?[writes.Count];
        foreach (var tenant in writes.Select((write, index) => (write, index)).GroupBy(w => w.write.Record.Tenant.Key))
        {
            await CosmosCalls.InBatchesAsync(containers.WebhookDeliveries, new PartitionKey(tenant.Key), [.. tenant],
                (batch, w) => batch.ReplaceItem(w.write.Record.Id, DeliveryDocument(w.write.Record with { ETag = "" }),
                    new TransactionalBatchItemRequestOptions { IfMatchEtag = w.write.ExpectedETag, EnableContentResponseOnWrite = false }),
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

    public async Task<bool> DeleteAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => containers.Webhooks.DeleteItemAsync<object>(id, new PartitionKey(tenant.Key), cancellationToken: cancellationToken));
            return true;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static QueryRequestOptions Options(Tenant tenant) => new() { PartitionKey = new PartitionKey(tenant.Key) };

    private static Document<WebhookDelivery> DeliveryDocument(WebhookDelivery delivery) =>
        new(delivery.Id, delivery.Tenant.Key, delivery.EndpointId, StoredTime.Format(delivery.CreatedAt), delivery) { Waiting = delivery.Waiting };

    private static async Task<string> CreateAsync<T>(Container container, Document<T> document, Tenant tenant, CancellationToken cancellationToken)
    {
        try
        {
            return (await CosmosCalls.RunAsync(() => container.CreateItemAsync(document, new PartitionKey(tenant.Key), cancellationToken: cancellationToken))).ETag;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DuplicateValueException("id");
        }
    }

    private static async Task<string> ReplaceAsync<T>(Container container, Document<T> document, Tenant tenant, string expectedETag, CancellationToken cancellationToken) =>
        (await CosmosCalls.ReplaceAsync(container, document, document.Id, new PartitionKey(tenant.Key), expectedETag, cancellationToken)).ETag;

    private sealed record Document<T>(string Id, string TenantId, string? EndpointId, string CreatedAt, T Body, [property: JsonPropertyName("_etag")] string? ETag = null)
    {
        /// <summary>Beside the body, for the query of an endpoint's waiting deliveries (indexed in infra/main.bicep).</summary>
        public bool Waiting { get; init; }
    }
}
