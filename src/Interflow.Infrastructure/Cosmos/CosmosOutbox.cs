using System.Net;
using System.Text.Json.Serialization;
using Interflow.Core.Events;
using Interflow.Infrastructure.Sqlite;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// The outbox fields every Cosmos document of an event-producing resource has: <c>outbox</c> and <c>hasOutbox</c>
/// (indexed, so the sweep's query reads only documents with events left behind).
/// </summary>
public sealed class CosmosOutbox(Container container, string kind) : IOutboxSource
{
    public string Kind => kind;

    /// <summary>Cross-partition, but it reads only leftovers of crashed relays: normally nothing.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> FindPendingAsync(DateTimeOffset writtenBefore, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max c.id, c.tenantId, c._etag, c.outbox FROM c WHERE c.hasOutbox = true AND c.updatedAt < @before")
            .WithParameter("@max", max)
            .WithParameter("@before", StoredTime.Format(writtenBefore));
        var rows = await CosmosCalls.QueryAsync<PendingRow>(container, query, null, cancellationToken);
        return rows.Select(r => new OutboxEntry(kind, SqliteOutbox.ParseTenant(r.TenantId), r.Id, r.ETag, r.Outbox)).ToArray();
    }

    private static readonly PatchOperation[] Clear = [PatchOperation.Set("/outbox", Array.Empty<DomainEvent>()), PatchOperation.Set("/hasOutbox", false)];

    /// <summary>
    /// A patch per record, only if the document is still at the relayed version (a newer write carries its own
    /// events), in transactional batches per tenant; a single record, or a batch with a record written since, is
    /// patched one by one.
    /// </summary>
    public async Task ClearAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var tenant in entries.GroupBy(e => e.Tenant.Key))
        {
            var partition = new PartitionKey(tenant.Key);
            await CosmosCalls.InBatchesAsync(container, partition, [.. tenant],
                (batch, entry) => batch.PatchItem(entry.ResourceId, Clear, new TransactionalBatchPatchItemRequestOptions { IfMatchEtag = entry.ETag, EnableContentResponseOnWrite = false }),
                (_, _) => { },
                async entry =>
                {
                    try
                    {
                        await CosmosCalls.RunAsync(() => container.PatchItemAsync<object>(entry.ResourceId, partition, Clear,
                            new PatchItemRequestOptions { IfMatchEtag = entry.ETag, EnableContentResponseOnWrite = false }, cancellationToken));
                    }
                    catch (CosmosException exception) when (exception.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
                    {
                    }
                },
                CosmosCalls.OneByOneOn(HttpStatusCode.PreconditionFailed, HttpStatusCode.NotFound), cancellationToken);
        }
    }

    private sealed record PendingRow(string Id, string TenantId, [property: JsonPropertyName("_etag")] string ETag, DomainEvent[] Outbox);
}
