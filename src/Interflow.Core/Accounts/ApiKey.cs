namespace Interflow.Core.Accounts;

/// <summary>What a key is now, as its owners see it.</summary>
public enum ApiKeyState
{
    Active,

    /// <summary>Working, and stops within <see cref="ApiKey.ExpiringWithin"/> (a rolled key's grace, a key made to expire).</summary>
    Expiring,
    Expired,
    Revoked,
}

/// <summary>
/// A stored API key. Only the SHA-256 of the secret is kept; <see cref="Prefix"/> (the environment marker and the
/// first characters) is what lists show so that a person can tell keys apart.
/// </summary>
/// <param name="ExpiresAt">When it stops working; null: until revoked. A rolled key's grace ends here.</param>
/// <param name="Restrictions">Null for the environment's full access.</param>
/// <param name="CreatedBy">Who made it: a member's name, or <c>operator</c>.</param>
public sealed record ApiKey(
    string Id,
    string AccountId,
    ApiEnvironment Environment,
    string Name,
    string Prefix,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    DateTimeOffset? ExpiresAt = null,
    KeyRestrictions? Restrictions = null,
    string? CreatedBy = null)
{
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromDays(7);

    public Tenant Tenant => new(AccountId, Environment);

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    public ApiKeyState StateAt(DateTimeOffset now) =>
        IsRevoked ? ApiKeyState.Revoked
        : IsExpired(now) ? ApiKeyState.Expired
        : ExpiresAt is { } expires && expires - now <= ExpiringWithin ? ApiKeyState.Expiring
        : ApiKeyState.Active;
}
