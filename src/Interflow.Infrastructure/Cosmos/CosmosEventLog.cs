using System.Net;
using System.Text.Json;
using Interflow.Core.Accounts;
using Interflow.Core.Events;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// The event log: one item per event, id = event id, so a repeated append is a 409 and changes nothing. A relay's
/// events are created in transactional batches; a single event, or a batch holding an event logged already (a relay
/// repeated after a crash), is appended one by one.
/// </summary>
public sealed class CosmosEventLog(CosmosContainers containers) : IEventLog
{
    public async Task<IReadOnlyList<DomainEvent>> AppendAsync(Tenant tenant, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken)
    {
        var partition = new PartitionKey(tenant.Key);
        var added = new List<DomainEvent>(events.Count);
        await CosmosCalls.InBatchesAsync(containers.Events, partition, events,
            (batch, domainEvent) => batch.CreateItem(Document(tenant, domainEvent), new TransactionalBatchItemRequestOptions { EnableContentResponseOnWrite = false }),
            (domainEvent, _) => added.Add(domainEvent),
            async domainEvent =>
            {
                try
                {
                    await CosmosCalls.RunAsync(() => containers.Events.CreateItemAsync(
                        Document(tenant, domainEvent), partition, new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken));
                    added.Add(domainEvent);
                }
                catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
                {
                }
            },
            CosmosCalls.OneByOneOn(HttpStatusCode.Conflict), cancellationToken);
        return added;
    }

    public async Task<IReadOnlyList<DomainEvent>> GetManyAsync(Tenant tenant, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var partition = new PartitionKey(tenant.Key);
        var response = await CosmosCalls.RunAsync(() => containers.Events.ReadManyItemsAsync<EventDocument>([.. ids.Select(id => (id, partition))], cancellationToken: cancellationToken));
        return [.. response.Select(d => new DomainEvent(d.Id, d.Type, StoredTime.Parse(d.CreatedAt), d.Data))];
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

    private static EventDocument Document(Tenant tenant, DomainEvent domainEvent) =>
        new(domainEvent.Id, tenant.Key, domainEvent.Type, StoredTime.Format(domainEvent.CreatedAt), domainEvent.Data);

    private sealed record EventDocument(string Id, string TenantId, string Type, string CreatedAt, JsonElement Data);
}
