namespace Interflow.Core.Accounts;

/// <summary>
/// A stored API key. Only the SHA-256 of the secret is kept; <see cref="Prefix"/> (the environment marker and the
/// first characters) is what lists show so that a person can tell keys apart.
/// </summary>
public sealed record ApiKey(
    string Id,
    string AccountId,
    ApiEnvironment Environment,
    string Name,
    string Prefix,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt)
{
    public Tenant Tenant => new(AccountId, Environment);

    public bool IsRevoked => RevokedAt is not null;
}
