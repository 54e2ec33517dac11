namespace Interflow.Core.Idempotency;

/// <summary>
/// What a POST with an <c>Idempotency-Key</c> did. A record is <see cref="IsCompleted"/> once its response is stored;
/// before that it is a claim held until <see cref="LockedUntil"/>, after which a retry may take it over (the first
/// attempt crashed).
/// </summary>
/// <param name="Id">Tenant and key together: keys of different tenants never meet.</param>
/// <param name="Fingerprint">Hash of method, path and body: the same key with another request is refused.</param>
public sealed record IdempotencyRecord(
    string Id,
    string Fingerprint,
    DateTimeOffset LockedUntil,
    DateTimeOffset ExpiresAt,
    int? StatusCode = null,
    string? ResponseBody = null,
    string? ResponseETag = null,
    string ETag = "")
{
    public bool IsCompleted => StatusCode is not null;
}
