using System.Net;
using Interflow.Core.RateLimiting;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>
/// One counter item per tenant and window, bumped with an atomic patch increment: one write per request, and the
/// first request of a window creates the item (a concurrent creator's 409 falls back to the patch).
/// </summary>
public sealed class CosmosRateLimitStore(CosmosContainers containers, TimeProvider clock) : IRateLimitStore
{
    public async Task<long> IncrementAsync(string counterId, long amount, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var partitionKey = new PartitionKey(counterId);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var patched = await CosmosCalls.RunAsync(() => containers.RateLimits.PatchItemAsync<Counter>(
                    counterId, partitionKey, [PatchOperation.Increment("/count", amount)], cancellationToken: cancellationToken));
                return patched.Resource.Count;
            }
            catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
            {
            }
            try
            {
                var ttl = Math.Max(1, (int)Math.Ceiling((expiresAt - clock.GetUtcNow()).TotalSeconds));
                await CosmosCalls.RunAsync(() => containers.RateLimits.CreateItemAsync(
                    new Counter(counterId, amount, ttl), partitionKey, cancellationToken: cancellationToken));
                return amount;
            }
            catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
            }
        }
    }

    private sealed record Counter(string Id, long Count, int Ttl);
}
