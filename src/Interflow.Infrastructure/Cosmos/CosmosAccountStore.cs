using System.Net;
using Interflow.Core.Accounts;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

public sealed class CosmosAccountStore(CosmosContainers containers) : IAccountStore
{
    public Task CreateAccountAsync(Account account, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.Accounts.CreateItemAsync(
            new AccountDocument(account.Id, account.Name, account.Plan.ToName(), StoredTime.Format(account.CreatedAt)),
            new PartitionKey(account.Id), cancellationToken: cancellationToken));

    public async Task<Account?> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<AccountDocument>(containers.Accounts, accountId, new PartitionKey(accountId), cancellationToken);
        return response?.Resource is { } doc ? new Account(doc.Id, doc.Name, Plans.Parse(doc.Plan), StoredTime.Parse(doc.CreatedAt)) : null;
    }

    public async Task<bool> AnyAccountAsync(CancellationToken cancellationToken)
    {
        var ids = await CosmosCalls.QueryAsync<string>(
            containers.Accounts, new QueryDefinition("SELECT TOP 1 VALUE c.id FROM c"), null, cancellationToken);
        return ids.Count > 0;
    }

    public Task CreateKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.ApiKeys.CreateItemAsync(
            ApiKeyDocument.From(key), new PartitionKey(key.SecretHash), cancellationToken: cancellationToken));

    public Task SaveKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.ApiKeys.UpsertItemAsync(
            ApiKeyDocument.From(key), new PartitionKey(key.SecretHash), cancellationToken: cancellationToken));

    public async Task<ApiKey?> FindKeyByHashAsync(string secretHash, CancellationToken cancellationToken)
    {
        var response = await CosmosCalls.ReadAsync<ApiKeyDocument>(containers.ApiKeys, secretHash, new PartitionKey(secretHash), cancellationToken);
        return response?.Resource?.ToKey();
    }

    /// <summary>Cross-partition (keys are partitioned by hash for the hot path); an operator's call, rare.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.accountId = @account ORDER BY c.createdAt")
            .WithParameter("@account", accountId);
        var docs = await CosmosCalls.QueryAsync<ApiKeyDocument>(containers.ApiKeys, query, null, cancellationToken);
        return docs.Select(d => d.ToKey()).ToArray();
    }

    public Task AppendKeyActivityAsync(KeyActivity activity, CancellationToken cancellationToken) =>
        CosmosCalls.RunAsync(() => containers.KeyActivity.CreateItemAsync(
            KeyActivityDocument.From(activity), new PartitionKey(activity.AccountId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken));

    /// <summary>One partition, newest first.</summary>
    public async Task<IReadOnlyList<KeyActivity>> ListKeyActivityAsync(string accountId, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.accountId = @account ORDER BY c.at DESC")
            .WithParameter("@account", accountId).WithParameter("@max", max);
        var docs = await CosmosCalls.QueryAsync<KeyActivityDocument>(containers.KeyActivity, query, new QueryRequestOptions { PartitionKey = new PartitionKey(accountId) }, cancellationToken);
        return [.. docs.Select(d => d.Activity)];
    }

    private sealed record AccountDocument(string Id, string Name, string Plan, string CreatedAt);

    private sealed record ApiKeyDocument(
        string Id, string KeyId, string AccountId, string Environment, string Name, string Prefix, string CreatedAt,
        string? LastUsedAt, string? RevokedAt, string? ExpiresAt, string? Restrictions, string? CreatedBy)
    {
        public static ApiKeyDocument From(ApiKey key) => new(
            key.SecretHash, key.Id, key.AccountId, key.Environment.ToName(), key.Name, key.Prefix,
            StoredTime.Format(key.CreatedAt), key.LastUsedAt is { } used ? StoredTime.Format(used) : null,
            key.RevokedAt is { } revoked ? StoredTime.Format(revoked) : null, key.ExpiresAt is { } expires ? StoredTime.Format(expires) : null,
            key.Restrictions?.ToJson(), key.CreatedBy);

        public ApiKey ToKey() => new(
            KeyId, AccountId, ApiEnvironmentNames.Parse(Environment), Name, Prefix, Id, StoredTime.Parse(CreatedAt),
            LastUsedAt is null ? null : StoredTime.Parse(LastUsedAt), RevokedAt is null ? null : StoredTime.Parse(RevokedAt),
            ExpiresAt is null ? null : StoredTime.Parse(ExpiresAt), Restrictions is null ? null : KeyRestrictions.FromJson(Restrictions), CreatedBy);
    }

    /// <summary>The activity, with <c>at</c> beside it for the order.</summary>
    private sealed record KeyActivityDocument(string Id, string AccountId, string At, KeyActivity Activity)
    {
        public static KeyActivityDocument From(KeyActivity activity) => new(activity.Id, activity.AccountId, StoredTime.Format(activity.At), activity);
    }
}
