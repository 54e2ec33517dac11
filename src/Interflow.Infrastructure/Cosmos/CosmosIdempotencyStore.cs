using System.Net;
using Interflow.Core.Idempotency;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Idempotency records: a claim is one create (409 = someone holds the key), completion one upsert.</summary>
public sealed class CosmosIdempotencyStore(CosmosContainers containers, TimeProvider clock) : IIdempotencyStore
{
    private Container Container => containers.Idempotency;

    public async Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord claim, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => Container.CreateItemAsync(Document(claim), new PartitionKey(claim.Id), cancellationToken: cancellationToken));
            return null;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            var existing = await CosmosCalls.ReadAsync<IdempotencyDocument>(Container, claim.Id, new PartitionKey(claim.Id), cancellationToken);
            // Gone between the two calls (released or expired): the caller may retry and will then claim it.
            return existing?.Resource.ToRecord(existing.ETag)
                ?? claim with { LockedUntil = DateTimeOffset.MaxValue, ExpiresAt = DateTimeOffset.MaxValue, ETag = "" };
        }
    }

    public async Task<bool> TryTakeOverAsync(IdempotencyRecord claim, string expectedETag, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => Container.ReplaceItemAsync(
                Document(claim), claim.Id, new PartitionKey(claim.Id), new ItemRequestOptions { IfMatchEtag = expectedETag }, cancellationToken));
            return true;
        }
        catch (CosmosException exception) when (exception.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task CompleteAsync(IdempotencyRecord completed, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => Container.UpsertItemAsync(Document(completed), new PartitionKey(completed.Id), cancellationToken: cancellationToken));

    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => Container.DeleteItemAsync<IdempotencyDocument>(id, new PartitionKey(id), cancellationToken: cancellationToken));
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private IdempotencyDocument Document(IdempotencyRecord record) => new(
        record.Id, record.Fingerprint, StoredTime.Format(record.LockedUntil), StoredTime.Format(record.ExpiresAt),
        record.StatusCode, record.ResponseBody, record.ResponseETag,
        Ttl: Math.Max(1, (int)Math.Ceiling((record.ExpiresAt - clock.GetUtcNow()).TotalSeconds)));

    /// <param name="Ttl">Seconds until Cosmos DB deletes the record by itself.</param>
    private sealed record IdempotencyDocument(
        string Id, string Fingerprint, string LockedUntil, string ExpiresAt, int? StatusCode, string? ResponseBody,
        string? ResponseETag, int Ttl)
    {
        public IdempotencyRecord ToRecord(string etag) => new(
            Id, Fingerprint, StoredTime.Parse(LockedUntil), StoredTime.Parse(ExpiresAt), StatusCode, ResponseBody, ResponseETag, etag);
    }
}
