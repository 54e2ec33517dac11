namespace Interflow.Core.Idempotency;

/// <summary>Idempotency records; they expire <see cref="IdempotencyRecord.ExpiresAt"/> (24 h) after the first request.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key by inserting <paramref name="claim"/>.</summary>
    /// <returns>Null when the claim was inserted; otherwise the record that holds the key (possibly expired).</returns>
    Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord claim, CancellationToken cancellationToken);

    /// <summary>Replaces a stale claim or an expired record, only if it is still at <paramref name="expectedETag"/>.</summary>
    /// <returns>False when another request took it first.</returns>
    Task<bool> TryTakeOverAsync(IdempotencyRecord claim, string expectedETag, CancellationToken cancellationToken);

    /// <summary>Stores the finished response in place of the claim.</summary>
    Task CompleteAsync(IdempotencyRecord completed, CancellationToken cancellationToken);

    /// <summary>Drops a claim whose request failed without a response worth replaying, so a retry runs again.</summary>
    Task ReleaseAsync(string id, CancellationToken cancellationToken);
}
