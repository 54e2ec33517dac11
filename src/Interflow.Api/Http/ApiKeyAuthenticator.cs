using Interflow.Api.Composition;
using Interflow.Core.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Interflow.Api.Http;

/// <summary>The account and key a request acts for.</summary>
public sealed record Caller(ApiKey Key, Account Account)
{
    public Tenant Tenant => Key.Tenant;
}

/// <summary>
/// Turns <c>Authorization: Bearer ifk_…</c> into a <see cref="Caller"/>. A verified key is cached briefly so that
/// most requests cost no store read; unknown secrets are cached too, so guessing costs the store nothing.
/// </summary>
public sealed class ApiKeyAuthenticator(IAccountStore store, IMemoryCache cache, TimeProvider clock, IOptions<InterflowOptions> options)
{
    // last_used_at is a hint for operators, not an audit log: refreshing it at most this often keeps it to a
    // write every few minutes per key instead of one per request.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(5);

    private TimeSpan CacheFor => TimeSpan.FromSeconds(options.Value.ApiKeyCacheSeconds);

    public async Task<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            throw new ApiException(ErrorCode.Unauthorized, ErrorText.MissingApiKey);
        }
        const string scheme = "Bearer ";
        var secret = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
        if (!ApiKeySecret.TryParse(secret, out _))
        {
            throw new ApiException(ErrorCode.Unauthorized, ErrorText.InvalidApiKey);
        }
        var hash = ApiKeySecret.Hash(secret!);
        if (!cache.TryGetValue(hash, out Caller? caller))
        {
            caller = await LoadAsync(secret!, hash, cancellationToken);
            cache.Set(hash, caller, CacheFor);
        }
        if (caller is null)
        {
            throw new ApiException(ErrorCode.Unauthorized, ErrorText.InvalidApiKey);
        }
        // Checked on every request, cached or not: a key stops at its expiry to the second, on every instance.
        if (caller.Key.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            throw new ApiException(ErrorCode.ApiKeyExpired, ErrorText.ApiKeyExpired, expires.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        }
        return caller;
    }

    /// <summary>
    /// The caller may use the route: a restricted key only within its grants (a key without restrictions has its
    /// environment's full access), else 403 naming the permission it lacks.
    /// </summary>
    public static void Authorize(Caller caller, ApiRoute route)
    {
        if (caller.Key.Restrictions is { } restrictions && route.Permission is { } needed && !restrictions.Allows(needed))
        {
            throw new ApiException(ErrorCode.Forbidden, ErrorText.PermissionDenied, needed.ToString())
            {
                Details = [new ErrorDetail("permission", needed.ToString())],
            };
        }
    }

    /// <summary>Drops a key from this instance's cache (after a revocation), so that it stops working here at once.</summary>
    public void Forget(string secretHash) => cache.Remove(secretHash);

    private async Task<Caller?> LoadAsync(string secret, string hash, CancellationToken cancellationToken)
    {
        var key = await store.FindKeyByHashAsync(hash, cancellationToken);
        if (key is null || key.IsRevoked || !ApiKeySecret.Matches(secret, key.SecretHash))
        {
            return null;
        }
        var account = await store.GetAccountAsync(key.AccountId, cancellationToken);
        if (account is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            key = key with { LastUsedAt = now };
            await store.SaveKeyAsync(key, cancellationToken);
        }
        return new Caller(key, account);
    }
}
