namespace Interflow.Core.Accounts;

/// <summary>The operator's use cases for people: an account's members, and one-time sign-in links for them.</summary>
public sealed class MemberAdministration(IAccountStore accounts, IMemberStore members, IConsoleSessionStore sessions, TimeProvider clock)
{
    /// <summary>How long a sign-in link works (once).</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Adds a member: with an identity (issuer and subject of the platform's sign-in), or without one, to sign in by link.</summary>
    public async Task<Member> AddAsync(
        string accountId, string name, string? email, MemberRole role, string? issuer, string? subject, CancellationToken cancellationToken)
    {
        _ = await accounts.GetAccountAsync(accountId, cancellationToken) ?? throw new NotFoundException();
        var id = Ids.New("mem");
        var member = new Member(id, accountId, issuer ?? Member.LocalIssuer, subject ?? id, name, email, role, clock.GetUtcNow());
        if ((await members.FindByIdentityAsync(member.Issuer, member.Subject, cancellationToken)).Any(m => m.AccountId == accountId))
        {
            throw new ConflictException("subject");
        }
        await members.CreateAsync(member, cancellationToken);
        return member;
    }

    public async Task<IReadOnlyList<Member>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        _ = await accounts.GetAccountAsync(accountId, cancellationToken) ?? throw new NotFoundException();
        return await members.ListAsync(accountId, cancellationToken);
    }

    /// <summary>Removes a member; their console sessions end at their next request.</summary>
    public async Task RemoveAsync(string accountId, string memberId, CancellationToken cancellationToken)
    {
        if (!await members.DeleteAsync(accountId, memberId, cancellationToken))
        {
            throw new NotFoundException();
        }
    }

    /// <summary>A one-time sign-in token for a member, valid for <see cref="LinkLifetime"/>; only its hash is stored.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> MintSignInLinkAsync(string accountId, string memberId, CancellationToken cancellationToken)
    {
        var member = await members.GetAsync(accountId, memberId, cancellationToken) ?? throw new NotFoundException();
        var token = ConsoleTokens.New();
        var expiresAt = clock.GetUtcNow() + LinkLifetime;
        await sessions.CreateSignInLinkAsync(new SignInLink(ConsoleTokens.Hash(token), member.AccountId, member.Id, expiresAt, null), cancellationToken);
        return (token, expiresAt);
    }
}
