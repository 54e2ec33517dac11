namespace Interflow.Core.Accounts;

/// <summary>The operator's use cases: accounts, and the keys that act for them.</summary>
public sealed class AccountAdministration(IAccountStore store, TimeProvider clock)
{
    public async Task<Account> CreateAccountAsync(string name, Plan plan, CancellationToken cancellationToken)
    {
        var account = new Account(Ids.New("acc"), name, plan, clock.GetUtcNow());
        await store.CreateAccountAsync(account, cancellationToken);
        return account;
    }

    /// <summary>Creates a key and returns its secret: the only moment the secret exists outside the caller's hands.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateKeyAsync(
        string accountId, string name, ApiEnvironment environment, CancellationToken cancellationToken)
    {
        _ = await store.GetAccountAsync(accountId, cancellationToken) ?? throw new NotFoundException();
        var secret = ApiKeySecret.Generate(environment);
        var key = new ApiKey(
            Ids.New("key"), accountId, environment, name, ApiKeySecret.DisplayPrefix(secret), ApiKeySecret.Hash(secret),
            clock.GetUtcNow(), LastUsedAt: null, RevokedAt: null);
        await store.CreateKeyAsync(key, cancellationToken);
        return (key, secret);
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        _ = await store.GetAccountAsync(accountId, cancellationToken) ?? throw new NotFoundException();
        return await store.ListKeysAsync(accountId, cancellationToken);
    }

    public async Task<ApiKey> RevokeKeyAsync(string accountId, string keyId, CancellationToken cancellationToken)
    {
        var keys = await ListKeysAsync(accountId, cancellationToken);
        var key = keys.SingleOrDefault(k => k.Id == keyId) ?? throw new NotFoundException();
        if (key.IsRevoked)
        {
            return key;
        }
        var revoked = key with { RevokedAt = clock.GetUtcNow() };
        await store.SaveKeyAsync(revoked, cancellationToken);
        return revoked;
    }
}
