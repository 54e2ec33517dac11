namespace Interflow.Core.Accounts;

/// <summary>The people of each account. Found by identity only at sign-in.</summary>
public interface IMemberStore
{
    Task CreateAsync(Member member, CancellationToken cancellationToken);

    Task<Member?> GetAsync(string accountId, string memberId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Member>> ListAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Every membership of one identity, oldest first.</summary>
    Task<IReadOnlyList<Member>> FindByIdentityAsync(string issuer, string subject, CancellationToken cancellationToken);

    /// <returns>False when there was no such member.</returns>
    Task<bool> DeleteAsync(string accountId, string memberId, CancellationToken cancellationToken);
}
