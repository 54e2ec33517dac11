using System.Net;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>The event log: one item per event, id = event id, so a repeated append is a 409 and changes nothing.</summary>
public sealed class CosmosEventLog(CosmosContainers containers) : IEventLog
{
    public async Task AppendAsync(Tenant tenant, DomainEvent domainEvent, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => containers.Events.CreateItemAsync(
                new EventDocument(domainEvent.Id, tenant.Key, domainEvent.Type, StoredTime.Format(domainEvent.CreatedAt), domainEvent.Data),
                new PartitionKey(tenant.Key), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken));
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
        }
    }

    public async Task<DomainEvent?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<EventDocument>(containers.Events, id, new PartitionKey(tenant.Key), cancellationToken);
        return response?.Resource is { } d ? new DomainEvent(d.Id, d.Type, StoredTime.Parse(d.CreatedAt), d.Data) : null;
    }

    public async Task<IReadOnlyList<DomainEvent>> ListAsync(Tenant tenant, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.tenantId = @tenant ORDER BY c.createdAt")
            .WithParameter("@tenant", tenant.Key).WithParameter("@max", max);
        var docs = await CosmosCalls.QueryAsync<EventDocument>(containers.Events, query, new QueryRequestOptions { PartitionKey = new PartitionKey(tenant.Key) }, cancellationToken);
        return docs.Select(d => new DomainEvent(d.Id, d.Type, StoredTime.Parse(d.CreatedAt), d.Data)).ToArray();
    }

    private sealed record EventDocument(string Id, string TenantId, string Type, string CreatedAt, JsonElement Data);
}
