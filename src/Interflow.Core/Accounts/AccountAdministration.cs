namespace Interflow.Core.Accounts;

/// <summary>
/// Accounts and the keys that act for them: what the operator routes and the console do, each change to a key written
/// to the account's activity with who made it.
/// </summary>
public sealed class AccountAdministration(IAccountStore store, TimeProvider clock)
{
    /// <summary>Who the activity names for a change made through the operator routes.</summary>
    public const string Operator = "operator";

    public async Task<Account> CreateAccountAsync(string name, Plan plan, CancellationToken cancellationToken)
    {
        var account = new Account(Ids.New("acc"), name, plan, clock.GetUtcNow());
        await store.CreateAccountAsync(account, cancellationToken);
        return account;
    }

    /// <summary>Creates a key and returns its secret: the only moment the secret exists outside the caller's hands.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateKeyAsync(
        string accountId, string name, ApiEnvironment environment, CancellationToken cancellationToken,
        DateTimeOffset? expiresAt = null, KeyRestrictions? restrictions = null, string actor = Operator)
    {
        _ = await store.GetAccountAsync(accountId, cancellationToken) ?? throw new NotFoundException();
        var (key, secret) = NewKey(accountId, name, environment, expiresAt, restrictions, actor);
        await store.CreateKeyAsync(key, cancellationToken);
        await RecordAsync(key, "created", actor, Describe(key), cancellationToken);
        return (key, secret);
    }

    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        _ = await store.GetAccountAsync(accountId, cancellationToken) ?? throw new NotFoundException();
        return await store.ListKeysAsync(accountId, cancellationToken);
    }

    /// <summary>The account's key, or not found (another account's key id included).</summary>
    public async Task<ApiKey> GetKeyAsync(string accountId, string keyId, CancellationToken cancellationToken) =>
        (await ListKeysAsync(accountId, cancellationToken)).SingleOrDefault(k => k.Id == keyId) ?? throw new NotFoundException();

    public async Task<ApiKey> RevokeKeyAsync(string accountId, string keyId, CancellationToken cancellationToken, string actor = Operator)
    {
        var key = await GetKeyAsync(accountId, keyId, cancellationToken);
        if (key.IsRevoked)
        {
            return key;
        }
        var revoked = key with { RevokedAt = clock.GetUtcNow() };
        await store.SaveKeyAsync(revoked, cancellationToken);
        await RecordAsync(revoked, "revoked", actor, null, cancellationToken);
        return revoked;
    }

    /// <summary>
    /// Stripe's roll: a new key with the old one's name, environment and restrictions (and no expiry of its own); the
    /// old one keeps working for <paramref name="grace"/>, then stops (at once for a zero grace). The new key is
    /// stored before the old one is cut short, so that a failure between the two leaves both working, never neither.
    /// </summary>
    /// <returns>The new key with its secret, and the old key as it is now.</returns>
    public async Task<(ApiKey Key, string Secret, ApiKey Previous)> RollKeyAsync(
        ApiKey old, TimeSpan grace, string actor, CancellationToken cancellationToken)
    {
        var (key, secret) = NewKey(old.AccountId, old.Name, old.Environment, null, old.Restrictions, actor);
        await store.CreateKeyAsync(key, cancellationToken);
        var ends = clock.GetUtcNow() + grace;
        var previous = old with { ExpiresAt = old.ExpiresAt is { } earlier && earlier < ends ? earlier : ends };
        await store.SaveKeyAsync(previous, cancellationToken);
        // One entry: the new key is the roll's, named in it.
        await RecordAsync(old, "rolled", actor, $"replaced by {key.Prefix}…; works until {previous.ExpiresAt:u}", cancellationToken);
        return (key, secret, previous);
    }

    public Task<IReadOnlyList<KeyActivity>> ListActivityAsync(string accountId, int max, CancellationToken cancellationToken) =>
        store.ListKeyActivityAsync(accountId, max, cancellationToken);

    private (ApiKey Key, string Secret) NewKey(
        string accountId, string name, ApiEnvironment environment, DateTimeOffset? expiresAt, KeyRestrictions? restrictions, string actor)
    {
        var secret = ApiKeySecret.Generate(environment);
        return (new ApiKey(
            Ids.New("key"), accountId, environment, name, ApiKeySecret.DisplayPrefix(secret), ApiKeySecret.Hash(secret),
            clock.GetUtcNow(), LastUsedAt: null, RevokedAt: null, expiresAt, restrictions, actor), secret);
    }

    private static string? Describe(ApiKey key) =>
        (key.ExpiresAt, key.Restrictions) switch
        {
            (null, null) => null,
            ({ } expires, null) => $"expires {expires:u}",
            (null, { } restrictions) => $"restricted: {restrictions}",
            ({ } expires, { } restrictions) => $"expires {expires:u}; restricted: {restrictions}",
        };

    private Task RecordAsync(ApiKey key, string action, string actor, string? detail, CancellationToken cancellationToken) =>
        store.AppendKeyActivityAsync(
            new KeyActivity(Ids.New("kact"), key.AccountId, action, key.Id, key.Name, key.Environment, actor, clock.GetUtcNow(), detail), cancellationToken);
}
