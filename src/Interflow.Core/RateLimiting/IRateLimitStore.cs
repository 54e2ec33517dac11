namespace Interflow.Core.RateLimiting;

/// <summary>
/// Shared request counters. Every app instance increments the same counter, so a tenant's budget holds however
/// many instances serve it.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>Atomically adds <paramref name="amount"/> to the counter, creating it when absent.</summary>
    /// <param name="expiresAt">When the counter may be dropped (after its window has passed).</param>
    /// <returns>The count after this increment.</returns>
    Task<long> IncrementAsync(string counterId, long amount, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
