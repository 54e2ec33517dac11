using System.Net;
using Interflow.Core;
using Interflow.Core.Accounts;
using Microsoft.Azure.Cosmos;

namespace Interflow.Infrastructure.Cosmos;

/// <summary>Members in their account's partition; an identity's memberships are a cross-partition query, made at sign-in only.</summary>
public sealed class CosmosMemberStore(CosmosContainers containers) : IMemberStore
{
    public async Task CreateAsync(Member member, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => containers.Members.CreateItemAsync(
                MemberDocument.From(member), new PartitionKey(member.AccountId), new ItemRequestOptions { EnableContentResponseOnWrite = false }, cancellationToken));
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.Conflict)
        {
            throw new ConflictException("subject");
        }
    }

    public async Task<Member?> GetAsync(string accountId, string memberId, CancellationToken cancellationToken) =>
        (await CosmosCalls.ReadAsync<MemberDocument>(containers.Members, memberId, new PartitionKey(accountId), cancellationToken))?.Resource?.Member;

    public async Task<IReadOnlyList<Member>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var docs = await CosmosCalls.QueryAsync<MemberDocument>(containers.Members,
            new QueryDefinition("SELECT * FROM c WHERE c.accountId = @account").WithParameter("@account", accountId),
            new QueryRequestOptions { PartitionKey = new PartitionKey(accountId) }, cancellationToken);
        return [.. docs.Select(d => d.Member).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<Member>> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.identityKey = @identity").WithParameter("@identity", MemberDocument.IdentityOf(issuer, subject));
        var docs = await CosmosCalls.QueryAsync<MemberDocument>(containers.Members, query, null, cancellationToken);
        return [.. docs.Select(d => d.Member).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
    }

    public async Task<bool> DeleteAsync(string accountId, string memberId, CancellationToken cancellationToken)
    {
        try
        {
            await CosmosCalls.RunAsync(() => containers.Members.DeleteItemAsync<MemberDocument>(memberId, new PartitionKey(accountId), cancellationToken: cancellationToken));
            return true;
        }
        catch (CosmosException exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <param name="IdentityKey">Issuer and subject in one property: the unique key within an account, and the sign-in lookup.</param>
    private sealed record MemberDocument(string Id, string AccountId, string IdentityKey, Member Member)
    {
        public static MemberDocument From(Member member) => new(member.Id, member.AccountId, IdentityOf(member.Issuer, member.Subject), member);

        public static string IdentityOf(string issuer, string subject) => $"{issuer}|{subject}";
    }
}
