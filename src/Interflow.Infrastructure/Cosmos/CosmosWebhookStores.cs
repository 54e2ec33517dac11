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
        delivery with { ETag = await CreateAsync(containers.WebhookDeliveries, new Document<WebhookDelivery>(delivery.Id, delivery.Tenant.Key, delivery.EndpointId, StoredTime.Format(delivery.CreatedAt), delivery), delivery.Tenant, cancellationToken) };

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
        var query = new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @tenant AND c.endpointId = @endpoint ORDER BY c.createdAt DESC OFFSET @skip LIMIT @take")
            .WithParameter("@tenant", tenant.Key).WithParameter("@endpoint", endpointId).WithParameter("@skip", page.Skip).WithParameter("@take", page.PerPage);
        var count = new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.tenantId = @tenant AND c.endpointId = @endpoint")
            .WithParameter("@tenant", tenant.Key).WithParameter("@endpoint", endpointId);
        var docs = await CosmosCalls.QueryAsync<Document<WebhookDelivery>>(containers.WebhookDeliveries, query, Options(tenant), cancellationToken);
        var total = (await CosmosCalls.QueryAsync<long>(containers.WebhookDeliveries, count, Options(tenant), cancellationToken)).Sum();
        return new Page<WebhookDelivery>(docs.Select(d => d.Body with { ETag = d.ETag! }).ToArray(), total);
    }

    public async Task<WebhookEndpoint> ReplaceAsync(WebhookEndpoint endpoint, string expectedETag, CancellationToken cancellationToken) =>
        endpoint with { ETag = await ReplaceAsync(containers.Webhooks, new Document<WebhookEndpoint>(endpoint.Id, endpoint.Tenant.Key, null, StoredTime.Format(endpoint.CreatedAt), endpoint with { ETag = "" }), endpoint.Tenant, expectedETag, cancellationToken) };

    public async Task<WebhookDelivery> ReplaceAsync(WebhookDelivery delivery, string expectedETag, CancellationToken cancellationToken) =>
        delivery with { ETag = await ReplaceAsync(containers.WebhookDeliveries, new Document<WebhookDelivery>(delivery.Id, delivery.Tenant.Key, delivery.EndpointId, StoredTime.Format(delivery.CreatedAt), delivery with { ETag = "" }), delivery.Tenant, expectedETag, cancellationToken) };

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

    private sealed record Document<T>(string Id, string TenantId, string? EndpointId, string CreatedAt, T Body, [property: JsonPropertyName("_etag")] string? ETag = null);
}
