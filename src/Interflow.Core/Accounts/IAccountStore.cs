namespace Interflow.Core.Accounts;

/// <summary>Accounts and their API keys. Key lookups by hash are on every request's path: one point read.</summary>
public interface IAccountStore
{
    Task CreateAccountAsync(Account account, CancellationToken cancellationToken);

    Task<Account?> GetAccountAsync(string accountId, CancellationToken cancellationToken);

    Task<bool> AnyAccountAsync(CancellationToken cancellationToken);

    Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken);

    Task<ApiKey?> FindKeyByHashAsync(string secretHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListKeysAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Writes a changed key (revocation, last use). Keys are never deleted, so a revoked one stays listed.</summary>
    Task SaveKeyAsync(ApiKey key, CancellationToken cancellationToken);

    Task AppendKeyActivityAsync(KeyActivity activity, CancellationToken cancellationToken);

    /// <summary>The account's key activity, newest first.</summary>
    Task<IReadOnlyList<KeyActivity>> ListKeyActivityAsync(string accountId, int max, CancellationToken cancellationToken);
}
