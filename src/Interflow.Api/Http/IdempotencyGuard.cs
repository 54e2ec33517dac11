using System.Security.Cryptography;
using System.Text;
using Interflow.Core.Accounts;
using Interflow.Core.Idempotency;
using Interflow.Core.Validation;
using Microsoft.AspNetCore.Http;

namespace Interflow.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first request with a key runs and its response is kept for 24 hours; a
/// retry with the same request gets that response again; the key with another request is refused (422); a retry
/// while the first still runs gets 409, per the IETF Idempotency-Key draft.
/// </summary>
public sealed class IdempotencyGuard(IIdempotencyStore store, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 255;
    internal static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    // A claim outlives any request (the Functions HTTP limit is 230 s); past it, the holder is presumed dead and
    // a retry may run the request again.
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The key of the request, or null when it sent none.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }
        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength)
        {
            throw new ValidationException(new FieldError(Header, FieldProblem.OutOfRange, (1, MaxKeyLength)));
        }
        return key;
    }

    /// <returns>The claim to complete after running the request, or the stored response to replay.</returns>
    public async Task<(IdempotencyRecord? Claim, IdempotencyRecord? Replay)> BeginAsync(
        Tenant tenant, string key, HttpRequest request, byte[] body, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claim = new IdempotencyRecord(RecordId(tenant, key), Fingerprint(request, body), now + ClaimLifetime, now + Lifetime);
        var existing = await store.TryClaimAsync(claim, cancellationToken);
        if (existing is null)
        {
            return (claim, null);
        }
        var expired = existing.ExpiresAt <= now;
        if (!expired && existing.Fingerprint != claim.Fingerprint)
        {
            throw new ApiException(ErrorCode.IdempotencyKeyReused, ErrorText.IdempotencyKeyReused);
        }
        if (!expired && existing.IsCompleted)
        {
            return (null, existing);
        }
        if (expired || existing.LockedUntil <= now)
        {
            if (await store.TryTakeOverAsync(claim, existing.ETag, cancellationToken))
            {
                return (claim, null);
            }
        }
        throw new ApiException(ErrorCode.Conflict, ErrorText.IdempotencyInProgress);
    }

    public Task CompleteAsync(IdempotencyRecord claim, int statusCode, byte[] body, string? etag, CancellationToken cancellationToken) =>
        store.CompleteAsync(
            claim with { StatusCode = statusCode, ResponseBody = Encoding.UTF8.GetString(body), ResponseETag = etag },
            cancellationToken);

    public Task ReleaseAsync(IdempotencyRecord claim, CancellationToken cancellationToken) =>
        store.ReleaseAsync(claim.Id, cancellationToken);

    // Hashed: a key may hold any character, while store ids must not (Cosmos forbids '/', '\\', '?', '#').
    private static string RecordId(Tenant tenant, string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant.Key}\n{key}")));

    private static string Fingerprint(HttpRequest request, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
