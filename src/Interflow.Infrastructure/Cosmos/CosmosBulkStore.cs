using System.Net;
using System.Text.Json.Serialization;
using Interflow.Core;
using Interflow.Core.Accounts;
using Interflow.Core.Bulk;
using Interflow.Core.Events;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// Bulk jobs and their chunks in one container partitioned by tenant (<c>kind</c> tells them apart): a job's
/// progress is one single-partition query over its chunks' counts.
/// </summary>
public sealed class CosmosBulkStore(CosmosContainers containers) : IBulkStore
{
    private Container Container => containers.Bulk;

    public async Task<BulkJob> CreateAsync(BulkJob job, IReadOnlyList<BulkChunk> chunks, CancellationToken cancellationToken)
    {
        var partition = new PartitionKey(job.Tenant.Key);
        // Chunks first: a job is only visible once it can be processed whole.
        foreach (var chunk in chunks)
        {
            await CosmosCalls.RunAsync(() => Container.UpsertItemAsync(ChunkDocument.From(job.Tenant, chunk), partition,
                new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken));
        }
        var response = await CosmosCalls.RunAsync(() => Container.CreateItemAsync(JobDocument.From(job), partition, cancellationToken: cancellationToken));
        return job with { ETag = response.ETag };
    }

    public async Task<BulkJob?> GetAsync(Tenant tenant, string id, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<JobDocument>(Container, id, new PartitionKey(tenant.Key), cancellationToken);
        return response is null ? null : response.Resource.Body with { ETag = response.ETag, Outbox = response.Resource.Outbox ?? [] };
    }

    public async Task<BulkJob> ReplaceAsync(BulkJob job, string expectedETag, CancellationToken cancellationToken) =>
        job with { ETag = (await CosmosCalls.ReplaceAsync(Container, JobDocument.From(job), job.Id, new PartitionKey(job.Tenant.Key), expectedETag, cancellationToken)).ETag };

    public async Task<BulkChunk?> GetChunkAsync(Tenant tenant, string jobId, int index, CancellationToken cancellationToken)
    {
        var id = new BulkChunk(jobId, index, [], false, 0, 0, 0).Id;
        var response = await CosmosCalls.ReadAsync<ChunkDocument>(Container, id, new PartitionKey(tenant.Key), cancellationToken);
        return response?.Resource.ToChunk(response.ETag);
    }

    public async Task<BulkChunk> ReplaceChunkAsync(Tenant tenant, BulkChunk chunk, string expectedETag, CancellationToken cancellationToken) =>
        chunk with { ETag = (await CosmosCalls.ReplaceAsync(Container, ChunkDocument.From(tenant, chunk), chunk.Id, new PartitionKey(tenant.Key), expectedETag, cancellationToken)).ETag };

    public async Task<IReadOnlyList<BulkChunk>> ListChunkCountsAsync(Tenant tenant, string jobId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                "SELECT c.id, c.tenantId, c.kind, c.jobId, c.index, c.done, c.sent, c.failed, c.cancelled, c._etag FROM c WHERE c.tenantId = @tenant AND c.jobId = @job AND c.kind = 'chunk'")
            .WithParameter("@tenant", tenant.Key).WithParameter("@job", jobId);
        var docs = await CosmosCalls.QueryAsync<ChunkDocument>(Container, query, new QueryRequestOptions { PartitionKey = new PartitionKey(tenant.Key) }, cancellationToken);
        return docs.Select(d => d.ToChunk(d.ETag!)).OrderBy(c => c.Index).ToArray();
    }

    private sealed record JobDocument(string Id, string TenantId, string Kind, string UpdatedAt, BulkJob Body, IReadOnlyList<DomainEvent>? Outbox, bool HasOutbox)
    {
        public static JobDocument From(BulkJob job) =>
            new(job.Id, job.Tenant.Key, "job", StoredTime.Format(job.UpdatedAt), job with { Outbox = [], ETag = "" }, job.Outbox, job.Outbox.Count > 0);
    }

    private sealed record ChunkDocument(
        string Id, string TenantId, string Kind, string JobId, int Index, bool Done, int Sent, int Failed, int Cancelled,
        IReadOnlyList<BulkRecipient>? Recipients, [property: JsonPropertyName("_etag")] string? ETag = null)
    {
        public static ChunkDocument From(Tenant tenant, BulkChunk c) =>
            new(c.Id, tenant.Key, "chunk", c.JobId, c.Index, c.Done, c.Sent, c.Failed, c.Cancelled, c.Recipients);

        public BulkChunk ToChunk(string etag) => new(JobId, Index, Recipients ?? [], Done, Sent, Failed, Cancelled, etag);
    }
}
