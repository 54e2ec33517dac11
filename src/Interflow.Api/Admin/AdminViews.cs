using Interflow.Api.OpenApi;
using Interflow.Core.Accounts;

namespace Interflow.Api.Admin;

public sealed record AccountView(string Id, string Name, [property: EnumOf(typeof(Plan))] string Plan, int RateLimitPerMinute, DateTimeOffset CreatedAt)
{
    public static AccountView From(Account account) =>
        new(account.Id, account.Name, account.Plan.ToName(), account.Plan.RequestsPerMinute(), account.CreatedAt);
}

/// <summary>A key as lists show it: never the secret, nor its hash.</summary>
public sealed record ApiKeyView(
    string Id, string Name, [property: EnumOf(typeof(ApiEnvironment))] string Environment, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? ExpiresAt, bool Restricted)
{
    public static ApiKeyView From(ApiKey key) =>
        new(key.Id, key.Name, key.Environment.ToName(), key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt, key.ExpiresAt, key.Restrictions is not null);
}

/// <summary>A key at creation, the one response that carries its secret.</summary>
public sealed record CreatedApiKeyView(
    string Id, string Name, [property: EnumOf(typeof(ApiEnvironment))] string Environment, string Prefix, string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
